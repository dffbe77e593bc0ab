package io.autobahn.spring.websocket.behaviour;

/**
 * {@link BrowserInteropTests} on Jetty.
 */
class JettyBrowserInteropTests extends BrowserInteropTests {

}
