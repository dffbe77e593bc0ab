package io.autobahn.spring.websocket.behaviour;

/**
 * {@link StackProfileTests} on Tomcat: this module's {@link TomcatStackProfile} is the
 * one the shared tests get.
 */
class TomcatStackProfileTests extends StackProfileTests {

}
