package io.autobahn.spring.websocket.behaviour;

/**
 * {@link FramingConformanceTests} on Tomcat.
 */
class TomcatFramingConformanceTests extends FramingConformanceTests {

}
