package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ConnectionRequestTests} on Tomcat.
 */
class TomcatConnectionRequestTests extends ConnectionRequestTests {

}
