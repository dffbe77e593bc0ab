package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ObservabilityTests} on Tomcat.
 */
class TomcatObservabilityTests extends ObservabilityTests {

}
