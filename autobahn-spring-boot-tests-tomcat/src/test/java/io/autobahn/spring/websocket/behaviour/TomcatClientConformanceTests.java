package io.autobahn.spring.websocket.behaviour;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link ClientConformanceTests} with the jdk client transport.
 */
@TestPropertySource(properties = "autobahn.websocket.client.transport=jdk")
class TomcatClientConformanceTests extends ClientConformanceTests {

}
