package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ClientAbuseTests} on Jetty.
 */
class JettyClientAbuseTests extends ClientAbuseTests {

}
