package io.autobahn.spring.websocket.behaviour;

/**
 * {@link BackPressureTests} on Jetty.
 */
class JettyBackPressureTests extends BackPressureTests {

}
