package io.autobahn.spring.websocket.behaviour;

/**
 * {@link EndpointPathTests} on WebFlux with Reactor Netty.
 */
class NettyEndpointPathTests extends EndpointPathTests {

}
