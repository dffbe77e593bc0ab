package io.autobahn.spring.websocket.behaviour;

/**
 * {@link HostileHandshakeTests} on Jetty.
 */
class JettyHostileHandshakeTests extends HostileHandshakeTests {

}
