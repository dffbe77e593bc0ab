package io.autobahn.spring.websocket.behaviour;

/**
 * {@link FaultTests} on Jetty.
 */
class JettyFaultTests extends FaultTests {

}
