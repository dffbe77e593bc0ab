package io.autobahn.spring.websocket.behaviour;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link ClientTlsTests}: the reactor-netty client transport against the starter on
 * Jetty.
 */
@TestPropertySource(properties = "autobahn.websocket.client.transport=reactor-netty")
class JettyClientTlsTests extends ClientTlsTests {

}
