package io.autobahn.spring.websocket.behaviour;

/**
 * {@link WebSocketTestClientTlsTests} on Tomcat: the users' test kit connects over wss to
 * the application's own TLS port.
 */
class TomcatWebSocketTestClientTlsTests extends WebSocketTestClientTlsTests {

}
