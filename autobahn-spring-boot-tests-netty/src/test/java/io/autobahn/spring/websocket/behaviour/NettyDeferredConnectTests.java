package io.autobahn.spring.websocket.behaviour;

/**
 * {@link DeferredConnectTests} on WebFlux with Reactor Netty.
 */
class NettyDeferredConnectTests extends DeferredConnectTests {

}
