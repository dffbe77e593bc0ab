package io.autobahn.spring.websocket.behaviour;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link ClientTlsTests}: the jdk client transport against the starter on Tomcat.
 */
@TestPropertySource(properties = "autobahn.websocket.client.transport=jdk")
class TomcatClientTlsTests extends ClientTlsTests {

}
