package io.autobahn.spring.websocket.behaviour;

/**
 * {@link EndpointPathTests} on Jetty.
 */
class JettyEndpointPathTests extends EndpointPathTests {

}
