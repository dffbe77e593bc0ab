package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ClosingTests} on Tomcat.
 */
class TomcatClosingTests extends ClosingTests {

}
