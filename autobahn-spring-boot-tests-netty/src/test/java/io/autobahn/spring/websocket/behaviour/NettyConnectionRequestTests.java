package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ConnectionRequestTests} on WebFlux with Reactor Netty.
 */
class NettyConnectionRequestTests extends ConnectionRequestTests {

}
