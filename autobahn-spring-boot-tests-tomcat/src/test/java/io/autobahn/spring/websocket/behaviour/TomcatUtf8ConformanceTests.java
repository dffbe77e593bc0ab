package io.autobahn.spring.websocket.behaviour;

/**
 * {@link Utf8ConformanceTests} on Tomcat.
 */
class TomcatUtf8ConformanceTests extends Utf8ConformanceTests {

}
