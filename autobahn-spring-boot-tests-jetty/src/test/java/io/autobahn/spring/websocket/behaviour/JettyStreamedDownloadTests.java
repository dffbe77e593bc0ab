package io.autobahn.spring.websocket.behaviour;

/**
 * {@link StreamedDownloadTests} on Jetty.
 */
class JettyStreamedDownloadTests extends StreamedDownloadTests {

}
