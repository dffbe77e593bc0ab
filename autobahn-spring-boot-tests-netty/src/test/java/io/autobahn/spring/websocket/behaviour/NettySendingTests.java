package io.autobahn.spring.websocket.behaviour;

/**
 * {@link SendingTests} on WebFlux with Reactor Netty.
 */
class NettySendingTests extends SendingTests {

}
