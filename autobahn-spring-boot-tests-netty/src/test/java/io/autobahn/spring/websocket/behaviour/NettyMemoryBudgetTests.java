package io.autobahn.spring.websocket.behaviour;

/**
 * {@link MemoryBudgetTests} on WebFlux with Reactor Netty.
 */
class NettyMemoryBudgetTests extends MemoryBudgetTests {

}
