package io.autobahn.spring.websocket.behaviour;

/**
 * {@link HandshakeTests} on Jetty.
 */
class JettyHandshakeTests extends HandshakeTests {

}
