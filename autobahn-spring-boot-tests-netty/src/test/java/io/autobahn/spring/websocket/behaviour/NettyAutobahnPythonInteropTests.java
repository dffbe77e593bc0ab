package io.autobahn.spring.websocket.behaviour;

/**
 * {@link AutobahnPythonInteropTests} on WebFlux with Reactor Netty.
 */
class NettyAutobahnPythonInteropTests extends AutobahnPythonInteropTests {

}
