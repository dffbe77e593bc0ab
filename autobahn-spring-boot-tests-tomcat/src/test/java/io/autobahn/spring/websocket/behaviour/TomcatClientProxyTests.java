package io.autobahn.spring.websocket.behaviour;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link ClientProxyTests} with the jdk client transport.
 */
@TestPropertySource(properties = "autobahn.websocket.client.transport=jdk")
class TomcatClientProxyTests extends ClientProxyTests {

}
