package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ProtocolInstanceTests} on Jetty.
 */
class JettyProtocolInstanceTests extends ProtocolInstanceTests {

}
