package io.autobahn.spring.websocket.behaviour;

/**
 * {@link PerMessageDeflateConformanceTests} on Jetty.
 */
class JettyPerMessageDeflateConformanceTests extends PerMessageDeflateConformanceTests {

}
