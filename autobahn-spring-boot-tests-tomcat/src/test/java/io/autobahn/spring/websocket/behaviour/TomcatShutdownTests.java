package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ShutdownTests} on Tomcat.
 */
class TomcatShutdownTests extends ShutdownTests {

}
