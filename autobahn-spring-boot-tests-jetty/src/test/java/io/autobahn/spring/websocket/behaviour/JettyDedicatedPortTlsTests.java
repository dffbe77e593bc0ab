package io.autobahn.spring.websocket.behaviour;

/**
 * {@link DedicatedPortTlsTests} in a Jetty application.
 */
class JettyDedicatedPortTlsTests extends DedicatedPortTlsTests {

}
