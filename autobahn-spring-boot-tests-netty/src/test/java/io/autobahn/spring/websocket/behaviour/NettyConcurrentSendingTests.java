package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ConcurrentSendingTests} on WebFlux with Reactor Netty.
 */
class NettyConcurrentSendingTests extends ConcurrentSendingTests {

}
