package io.autobahn.spring.websocket.behaviour;

/**
 * {@link HandshakeTests} on Tomcat.
 */
class TomcatHandshakeTests extends HandshakeTests {

}
