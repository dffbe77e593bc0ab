package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ConcurrentSendingTests} on Tomcat.
 */
class TomcatConcurrentSendingTests extends ConcurrentSendingTests {

}
