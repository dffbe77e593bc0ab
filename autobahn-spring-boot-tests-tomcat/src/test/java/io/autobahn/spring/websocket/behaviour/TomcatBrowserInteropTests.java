package io.autobahn.spring.websocket.behaviour;

/**
 * {@link BrowserInteropTests} on Tomcat.
 */
class TomcatBrowserInteropTests extends BrowserInteropTests {

}
