package io.autobahn.spring.websocket.behaviour;

/**
 * {@link LargeMessageTests} on Jetty.
 */
class JettyLargeMessageTests extends LargeMessageTests {

}
