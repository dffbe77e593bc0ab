package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ReadmeExamplesTests} on Jetty.
 */
class JettyReadmeExamplesTests extends ReadmeExamplesTests {

}
