package io.autobahn.spring.websocket.behaviour;

/**
 * {@link BrowserInteropTests} on WebFlux with Reactor Netty.
 */
class NettyBrowserInteropTests extends BrowserInteropTests {

}
