package io.autobahn.spring.websocket.behaviour;

/**
 * {@link Utf8ConformanceTests} on Jetty.
 */
class JettyUtf8ConformanceTests extends Utf8ConformanceTests {

}
