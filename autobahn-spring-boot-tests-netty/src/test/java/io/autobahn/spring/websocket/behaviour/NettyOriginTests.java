package io.autobahn.spring.websocket.behaviour;

/**
 * {@link OriginTests} on WebFlux with Reactor Netty.
 */
class NettyOriginTests extends OriginTests {

}
