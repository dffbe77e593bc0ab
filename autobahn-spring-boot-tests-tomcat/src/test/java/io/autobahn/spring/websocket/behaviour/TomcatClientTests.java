package io.autobahn.spring.websocket.behaviour;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link ClientTests}: the jdk client transport against the starter on Tomcat.
 */
@TestPropertySource(properties = "autobahn.websocket.client.transport=jdk")
class TomcatClientTests extends ClientTests {

}
