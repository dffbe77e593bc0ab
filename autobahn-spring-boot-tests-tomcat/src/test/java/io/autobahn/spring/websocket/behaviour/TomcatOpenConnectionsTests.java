package io.autobahn.spring.websocket.behaviour;

/**
 * {@link OpenConnectionsTests} on Tomcat.
 */
class TomcatOpenConnectionsTests extends OpenConnectionsTests {

}
