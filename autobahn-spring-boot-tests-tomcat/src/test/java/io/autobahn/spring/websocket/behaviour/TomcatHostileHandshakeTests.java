package io.autobahn.spring.websocket.behaviour;

/**
 * {@link HostileHandshakeTests} on Tomcat.
 */
class TomcatHostileHandshakeTests extends HostileHandshakeTests {

}
