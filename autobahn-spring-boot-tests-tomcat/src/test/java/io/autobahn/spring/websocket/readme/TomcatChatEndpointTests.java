package io.autobahn.spring.websocket.readme;

/**
 * The README's example of a test with the users' test kit, {@link ChatEndpointTests}, run
 * as a user would run it, on Tomcat.
 */
class TomcatChatEndpointTests extends ChatEndpointTests {

}
