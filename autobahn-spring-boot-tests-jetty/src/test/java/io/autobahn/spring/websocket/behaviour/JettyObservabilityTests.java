package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ObservabilityTests} on Jetty.
 */
class JettyObservabilityTests extends ObservabilityTests {

}
