package io.autobahn.spring.websocket.behaviour;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link ClientInteropTests} with the jdk client transport.
 */
@TestPropertySource(properties = "autobahn.websocket.client.transport=jdk")
class TomcatClientInteropTests extends ClientInteropTests {

}
