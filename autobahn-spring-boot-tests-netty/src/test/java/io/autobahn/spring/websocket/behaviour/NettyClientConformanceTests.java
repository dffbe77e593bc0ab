package io.autobahn.spring.websocket.behaviour;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link ClientConformanceTests} with the reactor-netty client transport.
 */
@TestPropertySource(properties = "autobahn.websocket.client.transport=reactor-netty")
class NettyClientConformanceTests extends ClientConformanceTests {

}
