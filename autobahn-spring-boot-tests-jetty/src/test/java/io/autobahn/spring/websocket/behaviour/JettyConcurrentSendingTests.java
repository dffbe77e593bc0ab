package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ConcurrentSendingTests} on Jetty.
 */
class JettyConcurrentSendingTests extends ConcurrentSendingTests {

}
