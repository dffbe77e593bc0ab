package io.autobahn.spring.websocket.behaviour;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link ClientTlsTests}: the reactor-netty client transport against the starter on
 * WebFlux with Reactor Netty.
 */
@TestPropertySource(properties = "autobahn.websocket.client.transport=reactor-netty")
class NettyClientTlsTests extends ClientTlsTests {

}
