package io.autobahn.spring.websocket.behaviour;

/**
 * {@link StartupLogTests} on Tomcat.
 */
class TomcatStartupLogTests extends StartupLogTests {

}
