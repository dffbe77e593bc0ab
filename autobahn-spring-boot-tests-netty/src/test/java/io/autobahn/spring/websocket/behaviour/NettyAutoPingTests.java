package io.autobahn.spring.websocket.behaviour;

/**
 * {@link AutoPingTests} on WebFlux with Reactor Netty.
 */
class NettyAutoPingTests extends AutoPingTests {

}
