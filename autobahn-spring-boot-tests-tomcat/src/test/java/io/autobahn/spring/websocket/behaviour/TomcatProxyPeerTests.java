package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ProxyPeerTests} on Tomcat.
 */
class TomcatProxyPeerTests extends ProxyPeerTests {

}
