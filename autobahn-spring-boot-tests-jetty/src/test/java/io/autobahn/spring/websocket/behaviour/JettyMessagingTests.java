package io.autobahn.spring.websocket.behaviour;

/**
 * {@link MessagingTests} on Jetty.
 */
class JettyMessagingTests extends MessagingTests {

}
