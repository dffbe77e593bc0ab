package io.autobahn.spring.websocket.behaviour;

/**
 * {@link WebSocketTestClientTests} on Jetty: the users' test kit finds the endpoints,
 * under the context path and on a wss dedicated port, and talks to them.
 */
class JettyWebSocketTestClientTests extends WebSocketTestClientTests {

}
