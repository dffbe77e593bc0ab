package io.autobahn.spring.websocket.behaviour;

/**
 * {@link StreamedDownloadTests} on WebFlux with Reactor Netty.
 */
class NettyStreamedDownloadTests extends StreamedDownloadTests {

}
