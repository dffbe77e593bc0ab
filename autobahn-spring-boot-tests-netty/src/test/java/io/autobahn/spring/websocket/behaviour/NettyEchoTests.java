package io.autobahn.spring.websocket.behaviour;

/**
 * {@link EchoTests} on WebFlux with Reactor Netty.
 */
class NettyEchoTests extends EchoTests {

}
