package io.autobahn.spring.websocket.behaviour;

/**
 * {@link MemoryAttackTests} on Jetty.
 */
class JettyMemoryAttackTests extends MemoryAttackTests {

}
