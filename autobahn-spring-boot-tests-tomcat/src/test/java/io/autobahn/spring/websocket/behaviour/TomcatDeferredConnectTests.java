package io.autobahn.spring.websocket.behaviour;

/**
 * {@link DeferredConnectTests} on Tomcat.
 */
class TomcatDeferredConnectTests extends DeferredConnectTests {

}
