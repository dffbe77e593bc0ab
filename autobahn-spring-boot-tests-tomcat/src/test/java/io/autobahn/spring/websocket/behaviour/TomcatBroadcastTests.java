package io.autobahn.spring.websocket.behaviour;

/**
 * {@link BroadcastTests} on Tomcat.
 */
class TomcatBroadcastTests extends BroadcastTests {

}
