package io.autobahn.spring.websocket.behaviour;

/**
 * {@link DedicatedPortTlsTests} on WebFlux with Reactor Netty.
 */
class NettyDedicatedPortTlsTests extends DedicatedPortTlsTests {

}
