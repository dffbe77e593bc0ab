package io.autobahn.spring.websocket.behaviour;

/**
 * {@link LimitsTests} on WebFlux with Reactor Netty.
 */
class NettyLimitsTests extends LimitsTests {

}
