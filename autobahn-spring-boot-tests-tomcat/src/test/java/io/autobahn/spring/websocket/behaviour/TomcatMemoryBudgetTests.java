package io.autobahn.spring.websocket.behaviour;

/**
 * {@link MemoryBudgetTests} on Tomcat.
 */
class TomcatMemoryBudgetTests extends MemoryBudgetTests {

}
