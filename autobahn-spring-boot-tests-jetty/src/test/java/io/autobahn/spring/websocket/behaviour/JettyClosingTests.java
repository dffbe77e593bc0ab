package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ClosingTests} on Jetty.
 */
class JettyClosingTests extends ClosingTests {

}
