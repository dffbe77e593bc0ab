package io.autobahn.spring.websocket.behaviour;

/**
 * {@link NodeWsInteropTests} on WebFlux with Reactor Netty.
 */
class NettyNodeWsInteropTests extends NodeWsInteropTests {

}
