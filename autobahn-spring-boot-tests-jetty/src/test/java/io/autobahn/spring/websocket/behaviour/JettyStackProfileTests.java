package io.autobahn.spring.websocket.behaviour;

/**
 * {@link StackProfileTests} on Jetty: this module's {@link JettyStackProfile} is the one
 * the shared tests get.
 */
class JettyStackProfileTests extends StackProfileTests {

}
