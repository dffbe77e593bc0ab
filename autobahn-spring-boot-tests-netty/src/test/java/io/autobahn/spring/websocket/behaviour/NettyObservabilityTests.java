package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ObservabilityTests} on WebFlux with Reactor Netty.
 */
class NettyObservabilityTests extends ObservabilityTests {

}
