package io.autobahn.spring.websocket.behaviour;

/**
 * {@link HandshakeTests} on WebFlux with Reactor Netty.
 */
class NettyHandshakeTests extends HandshakeTests {

}
