package io.autobahn.spring.websocket.readme;

/**
 * The README's example of a test with the users' test kit, {@link ChatEndpointTests}, run
 * as a user would run it, on WebFlux on Reactor Netty.
 */
class NettyChatEndpointTests extends ChatEndpointTests {

}
