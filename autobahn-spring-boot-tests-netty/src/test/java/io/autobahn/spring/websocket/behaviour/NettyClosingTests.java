package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ClosingTests} on WebFlux with Reactor Netty.
 */
class NettyClosingTests extends ClosingTests {

}
