package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ProtocolInstanceTests} on WebFlux with Reactor Netty.
 */
class NettyProtocolInstanceTests extends ProtocolInstanceTests {

}
