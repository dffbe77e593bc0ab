package io.autobahn.spring.websocket.behaviour;

/**
 * {@link AutoPingTests} on Tomcat.
 */
class TomcatAutoPingTests extends AutoPingTests {

}
