package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ShutdownTests} on Jetty.
 */
class JettyShutdownTests extends ShutdownTests {

}
