package io.autobahn.spring.websocket.behaviour;

/**
 * {@link BroadcastTests} on Jetty.
 */
class JettyBroadcastTests extends BroadcastTests {

}
