package io.autobahn.spring.websocket.behaviour;

/**
 * {@link CloseConformanceTests} on WebFlux with Reactor Netty.
 */
class NettyCloseConformanceTests extends CloseConformanceTests {

}
