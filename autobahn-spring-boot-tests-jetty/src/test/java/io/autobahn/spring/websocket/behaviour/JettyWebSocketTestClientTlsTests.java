package io.autobahn.spring.websocket.behaviour;

/**
 * {@link WebSocketTestClientTlsTests} on Jetty: the users' test kit connects over wss to
 * the application's own TLS port.
 */
class JettyWebSocketTestClientTlsTests extends WebSocketTestClientTlsTests {

}
