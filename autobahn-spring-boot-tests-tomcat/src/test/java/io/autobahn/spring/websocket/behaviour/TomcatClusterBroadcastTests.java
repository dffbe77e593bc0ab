package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ClusterBroadcastTests} on Tomcat.
 */
class TomcatClusterBroadcastTests extends ClusterBroadcastTests {

}
