package io.autobahn.spring.websocket.behaviour;

/**
 * {@link SendingTests} on Jetty.
 */
class JettySendingTests extends SendingTests {

}
