package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ClusterBroadcastTests} on Jetty.
 */
class JettyClusterBroadcastTests extends ClusterBroadcastTests {

}
