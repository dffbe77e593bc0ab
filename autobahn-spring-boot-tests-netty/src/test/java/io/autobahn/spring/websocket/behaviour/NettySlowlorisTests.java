package io.autobahn.spring.websocket.behaviour;

/**
 * {@link SlowlorisTests} on WebFlux with Reactor Netty.
 */
class NettySlowlorisTests extends SlowlorisTests {

}
