package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ConnectionLimitTests} on Jetty.
 */
class JettyConnectionLimitTests extends ConnectionLimitTests {

}
