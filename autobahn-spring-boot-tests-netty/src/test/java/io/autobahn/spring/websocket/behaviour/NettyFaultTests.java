package io.autobahn.spring.websocket.behaviour;

/**
 * {@link FaultTests} on WebFlux with Reactor Netty.
 */
class NettyFaultTests extends FaultTests {

}
