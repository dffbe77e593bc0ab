package io.autobahn.spring.websocket.behaviour;

/**
 * {@link DeferredConnectTests} on Jetty.
 */
class JettyDeferredConnectTests extends DeferredConnectTests {

}
