package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ReadmeExamplesTests} on Tomcat.
 */
class TomcatReadmeExamplesTests extends ReadmeExamplesTests {

}
