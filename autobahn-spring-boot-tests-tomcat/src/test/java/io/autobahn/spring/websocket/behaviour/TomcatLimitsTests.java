package io.autobahn.spring.websocket.behaviour;

/**
 * {@link LimitsTests} on Tomcat.
 */
class TomcatLimitsTests extends LimitsTests {

}
