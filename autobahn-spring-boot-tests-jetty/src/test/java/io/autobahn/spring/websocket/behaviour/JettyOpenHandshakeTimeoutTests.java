package io.autobahn.spring.websocket.behaviour;

/**
 * {@link OpenHandshakeTimeoutTests} on Jetty.
 */
class JettyOpenHandshakeTimeoutTests extends OpenHandshakeTimeoutTests {

}
