package io.autobahn.spring.websocket.behaviour;

/**
 * {@link HostileHandshakeTests} on WebFlux with Reactor Netty.
 */
class NettyHostileHandshakeTests extends HostileHandshakeTests {

}
