package io.autobahn.spring.websocket.behaviour;

/**
 * {@link NodeWsInteropTests} on Jetty.
 */
class JettyNodeWsInteropTests extends NodeWsInteropTests {

}
