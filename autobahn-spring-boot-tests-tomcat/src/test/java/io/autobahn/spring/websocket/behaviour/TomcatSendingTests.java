package io.autobahn.spring.websocket.behaviour;

/**
 * {@link SendingTests} on Tomcat.
 */
class TomcatSendingTests extends SendingTests {

}
