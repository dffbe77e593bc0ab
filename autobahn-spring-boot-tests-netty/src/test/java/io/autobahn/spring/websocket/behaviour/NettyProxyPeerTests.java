package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ProxyPeerTests} on WebFlux with Reactor Netty.
 */
class NettyProxyPeerTests extends ProxyPeerTests {

}
