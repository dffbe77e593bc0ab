package io.autobahn.spring.websocket.behaviour;

/**
 * {@link SlowlorisTests} on Jetty.
 */
class JettySlowlorisTests extends SlowlorisTests {

}
