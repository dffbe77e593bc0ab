package io.autobahn.spring.websocket.behaviour;

/**
 * {@link DedicatedPortTests} on WebFlux: the application's server and the dedicated port
 * are both Reactor Netty servers.
 */
class NettyDedicatedPortTests extends DedicatedPortTests {

}
