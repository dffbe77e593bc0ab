package io.autobahn.spring.websocket.behaviour;

/**
 * {@link MemoryBudgetTests} on Jetty.
 */
class JettyMemoryBudgetTests extends MemoryBudgetTests {

}
