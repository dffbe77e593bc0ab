package io.autobahn.spring.websocket.behaviour;

/**
 * {@link AutoPingTests} on Jetty.
 */
class JettyAutoPingTests extends AutoPingTests {

}
