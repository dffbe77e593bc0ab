package io.autobahn.spring.websocket.behaviour;

/**
 * {@link BackPressureTests} on Tomcat.
 */
class TomcatBackPressureTests extends BackPressureTests {

}
