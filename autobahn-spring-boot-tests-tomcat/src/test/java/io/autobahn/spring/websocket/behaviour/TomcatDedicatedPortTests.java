package io.autobahn.spring.websocket.behaviour;

/**
 * {@link DedicatedPortTests} on Tomcat.
 */
class TomcatDedicatedPortTests extends DedicatedPortTests {

}
