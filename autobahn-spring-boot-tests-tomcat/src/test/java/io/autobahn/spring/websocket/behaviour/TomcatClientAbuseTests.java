package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ClientAbuseTests} on Tomcat.
 */
class TomcatClientAbuseTests extends ClientAbuseTests {

}
