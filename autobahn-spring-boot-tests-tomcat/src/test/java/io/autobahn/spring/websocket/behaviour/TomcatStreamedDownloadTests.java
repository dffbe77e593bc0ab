package io.autobahn.spring.websocket.behaviour;

/**
 * {@link StreamedDownloadTests} on Tomcat.
 */
class TomcatStreamedDownloadTests extends StreamedDownloadTests {

}
