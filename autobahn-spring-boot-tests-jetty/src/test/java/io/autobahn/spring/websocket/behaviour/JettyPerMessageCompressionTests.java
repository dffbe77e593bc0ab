package io.autobahn.spring.websocket.behaviour;

/**
 * {@link PerMessageCompressionTests} on Jetty.
 */
class JettyPerMessageCompressionTests extends PerMessageCompressionTests {

}
