package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ProxyPeerTests} on Jetty.
 */
class JettyProxyPeerTests extends ProxyPeerTests {

}
