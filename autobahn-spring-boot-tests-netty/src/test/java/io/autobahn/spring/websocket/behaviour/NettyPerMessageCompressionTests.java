package io.autobahn.spring.websocket.behaviour;

/**
 * {@link PerMessageCompressionTests} on WebFlux with Reactor Netty.
 */
class NettyPerMessageCompressionTests extends PerMessageCompressionTests {

}
