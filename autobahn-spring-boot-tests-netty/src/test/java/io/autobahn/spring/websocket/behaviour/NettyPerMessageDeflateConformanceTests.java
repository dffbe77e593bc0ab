package io.autobahn.spring.websocket.behaviour;

/**
 * {@link PerMessageDeflateConformanceTests} on WebFlux with Reactor Netty.
 */
class NettyPerMessageDeflateConformanceTests extends PerMessageDeflateConformanceTests {

}
