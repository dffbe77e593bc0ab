package io.autobahn.spring.websocket.behaviour;

/**
 * {@link DedicatedPortTlsTests} on Tomcat.
 */
class TomcatDedicatedPortTlsTests extends DedicatedPortTlsTests {

}
