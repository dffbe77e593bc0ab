package io.autobahn.spring.websocket.behaviour;

/**
 * {@link LimitsTests} on Jetty.
 */
class JettyLimitsTests extends LimitsTests {

}
