package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ConnectionRequestTests} on Jetty.
 */
class JettyConnectionRequestTests extends ConnectionRequestTests {

}
