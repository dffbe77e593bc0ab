package io.autobahn.spring.websocket.behaviour;

/**
 * {@link WebSocketTestClientTlsTests} on WebFlux on Reactor Netty: the users' test kit
 * connects over wss to the application's own TLS port.
 */
class NettyWebSocketTestClientTlsTests extends WebSocketTestClientTlsTests {

}
