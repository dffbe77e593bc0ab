package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ConnectionLimitTests} on Tomcat.
 */
class TomcatConnectionLimitTests extends ConnectionLimitTests {

}
