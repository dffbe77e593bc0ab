package io.autobahn.spring.websocket.behaviour;

/**
 * {@link FramingConformanceTests} on WebFlux with Reactor Netty.
 */
class NettyFramingConformanceTests extends FramingConformanceTests {

}
