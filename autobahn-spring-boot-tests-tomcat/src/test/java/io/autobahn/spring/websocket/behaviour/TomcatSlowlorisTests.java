package io.autobahn.spring.websocket.behaviour;

/**
 * {@link SlowlorisTests} on Tomcat.
 */
class TomcatSlowlorisTests extends SlowlorisTests {

}
