package io.autobahn.spring.websocket.behaviour;

/**
 * {@link StackProfileTests} on WebFlux on Reactor Netty: this module's
 * {@link NettyStackProfile} is the one the shared tests get.
 */
class NettyStackProfileTests extends StackProfileTests {

}
