package io.autobahn.spring.websocket.behaviour;

/**
 * {@link CloseConformanceTests} on Jetty.
 */
class JettyCloseConformanceTests extends CloseConformanceTests {

}
