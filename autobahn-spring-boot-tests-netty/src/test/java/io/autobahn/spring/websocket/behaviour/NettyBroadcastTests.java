package io.autobahn.spring.websocket.behaviour;

/**
 * {@link BroadcastTests} on WebFlux with Reactor Netty.
 */
class NettyBroadcastTests extends BroadcastTests {

}
