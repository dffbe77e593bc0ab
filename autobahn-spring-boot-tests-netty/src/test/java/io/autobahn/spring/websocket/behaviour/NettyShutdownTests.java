package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ShutdownTests} on WebFlux with Reactor Netty.
 */
class NettyShutdownTests extends ShutdownTests {

}
