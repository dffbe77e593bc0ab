package io.autobahn.spring.websocket.behaviour;

/**
 * {@link EchoTests} on Tomcat.
 */
class TomcatEchoTests extends EchoTests {

}
