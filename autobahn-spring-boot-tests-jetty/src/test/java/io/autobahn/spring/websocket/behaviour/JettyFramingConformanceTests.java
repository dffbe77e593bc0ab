package io.autobahn.spring.websocket.behaviour;

/**
 * {@link FramingConformanceTests} on Jetty.
 */
class JettyFramingConformanceTests extends FramingConformanceTests {

}
