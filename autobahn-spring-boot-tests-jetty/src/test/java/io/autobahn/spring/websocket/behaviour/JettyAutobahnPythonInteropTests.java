package io.autobahn.spring.websocket.behaviour;

/**
 * {@link AutobahnPythonInteropTests} on Jetty: Autobahn|Python's client against Jetty's
 * permessage-deflate, fragment handling and close handshake.
 */
class JettyAutobahnPythonInteropTests extends AutobahnPythonInteropTests {

}
