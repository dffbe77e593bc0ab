package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ClientAbuseTests} on WebFlux with Reactor Netty.
 */
class NettyClientAbuseTests extends ClientAbuseTests {

}
