package io.autobahn.spring.websocket.behaviour;

/**
 * {@link LargeMessageTests} on Tomcat.
 */
class TomcatLargeMessageTests extends LargeMessageTests {

}
