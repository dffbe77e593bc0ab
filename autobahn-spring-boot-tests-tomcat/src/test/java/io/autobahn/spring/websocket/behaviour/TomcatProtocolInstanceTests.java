package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ProtocolInstanceTests} on Tomcat.
 */
class TomcatProtocolInstanceTests extends ProtocolInstanceTests {

}
