package io.autobahn.spring.websocket.behaviour;

/**
 * {@link OpenHandshakeTimeoutTests} on Tomcat.
 */
class TomcatOpenHandshakeTimeoutTests extends OpenHandshakeTimeoutTests {

}
