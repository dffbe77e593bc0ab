package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ClusterBroadcastTests} on WebFlux with Reactor Netty.
 */
class NettyClusterBroadcastTests extends ClusterBroadcastTests {

}
