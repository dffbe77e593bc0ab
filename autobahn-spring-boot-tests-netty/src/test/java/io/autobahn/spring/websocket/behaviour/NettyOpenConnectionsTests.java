package io.autobahn.spring.websocket.behaviour;

/**
 * {@link OpenConnectionsTests} on WebFlux with Reactor Netty.
 */
class NettyOpenConnectionsTests extends OpenConnectionsTests {

}
