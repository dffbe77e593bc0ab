package io.autobahn.spring.websocket.behaviour;

/**
 * {@link EchoTests} on Jetty: echoes, close code and reason, and an unclean drop through
 * {@code JettySessionTransport}.
 */
class JettyEchoTests extends EchoTests {

}
