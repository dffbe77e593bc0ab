package io.autobahn.spring.websocket.behaviour;

/**
 * {@link BackPressureTests} on WebFlux with Reactor Netty.
 */
class NettyBackPressureTests extends BackPressureTests {

}
