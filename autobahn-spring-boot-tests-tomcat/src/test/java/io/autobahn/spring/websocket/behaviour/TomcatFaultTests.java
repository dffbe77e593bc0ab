package io.autobahn.spring.websocket.behaviour;

/**
 * {@link FaultTests} on Tomcat.
 */
class TomcatFaultTests extends FaultTests {

}
