package io.autobahn.spring.websocket.behaviour;

/**
 * {@link MessagingTests} on WebFlux with Reactor Netty.
 */
class NettyMessagingTests extends MessagingTests {

}
