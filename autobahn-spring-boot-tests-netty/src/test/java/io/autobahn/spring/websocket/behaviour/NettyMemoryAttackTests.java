package io.autobahn.spring.websocket.behaviour;

/**
 * {@link MemoryAttackTests} on WebFlux with Reactor Netty.
 */
class NettyMemoryAttackTests extends MemoryAttackTests {

}
