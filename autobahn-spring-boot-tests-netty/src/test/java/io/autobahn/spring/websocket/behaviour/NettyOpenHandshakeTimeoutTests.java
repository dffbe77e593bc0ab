package io.autobahn.spring.websocket.behaviour;

/**
 * {@link OpenHandshakeTimeoutTests} on WebFlux with Reactor Netty.
 */
class NettyOpenHandshakeTimeoutTests extends OpenHandshakeTimeoutTests {

}
