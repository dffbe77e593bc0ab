package io.autobahn.spring.websocket.behaviour;

/**
 * {@link DedicatedPortTests} in a Jetty application: the dedicated port runs on Reactor
 * Netty next to Jetty.
 */
class JettyDedicatedPortTests extends DedicatedPortTests {

}
