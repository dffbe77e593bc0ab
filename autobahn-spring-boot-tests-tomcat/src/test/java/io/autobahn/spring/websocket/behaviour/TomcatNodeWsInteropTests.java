package io.autobahn.spring.websocket.behaviour;

/**
 * {@link NodeWsInteropTests} on Tomcat.
 */
class TomcatNodeWsInteropTests extends NodeWsInteropTests {

}
