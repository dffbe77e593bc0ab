package io.autobahn.spring.websocket.behaviour;

/**
 * {@link EndpointPathTests} on Tomcat.
 */
class TomcatEndpointPathTests extends EndpointPathTests {

}
