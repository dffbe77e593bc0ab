package io.autobahn.spring.websocket.behaviour;

/**
 * {@link MemoryAttackTests} on Tomcat.
 */
class TomcatMemoryAttackTests extends MemoryAttackTests {

}
