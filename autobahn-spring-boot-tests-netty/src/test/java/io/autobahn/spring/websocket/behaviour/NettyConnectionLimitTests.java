package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ConnectionLimitTests} on WebFlux with Reactor Netty.
 */
class NettyConnectionLimitTests extends ConnectionLimitTests {

}
