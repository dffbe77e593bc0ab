package io.autobahn.spring.websocket.behaviour;

/**
 * {@link Utf8ConformanceTests} on WebFlux with Reactor Netty.
 */
class NettyUtf8ConformanceTests extends Utf8ConformanceTests {

}
