package io.autobahn.spring.websocket.behaviour;

/**
 * {@link OriginTests} on Jetty.
 */
class JettyOriginTests extends OriginTests {

}
