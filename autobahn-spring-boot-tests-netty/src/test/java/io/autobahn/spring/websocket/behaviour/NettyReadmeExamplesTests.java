package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ReadmeExamplesTests} on WebFlux with Reactor Netty.
 */
class NettyReadmeExamplesTests extends ReadmeExamplesTests {

}
