package io.autobahn.spring.websocket.behaviour;

/**
 * {@link LargeMessageTests} on WebFlux with Reactor Netty.
 */
class NettyLargeMessageTests extends LargeMessageTests {

}
