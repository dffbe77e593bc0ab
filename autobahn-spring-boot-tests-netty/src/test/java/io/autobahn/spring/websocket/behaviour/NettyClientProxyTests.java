package io.autobahn.spring.websocket.behaviour;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link ClientProxyTests} with the reactor-netty client transport.
 */
@TestPropertySource(properties = "autobahn.websocket.client.transport=reactor-netty")
class NettyClientProxyTests extends ClientProxyTests {

}
