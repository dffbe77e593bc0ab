package io.autobahn.spring.websocket.behaviour;

/**
 * {@link OpenConnectionsTests} on Jetty.
 */
class JettyOpenConnectionsTests extends OpenConnectionsTests {

}
