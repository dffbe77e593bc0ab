package io.autobahn.spring.websocket.behaviour;

/**
 * {@link MessagingTests} on Tomcat.
 */
class TomcatMessagingTests extends MessagingTests {

}
