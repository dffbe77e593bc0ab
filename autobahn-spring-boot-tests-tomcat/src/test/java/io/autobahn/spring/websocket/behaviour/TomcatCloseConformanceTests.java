package io.autobahn.spring.websocket.behaviour;

/**
 * {@link CloseConformanceTests} on Tomcat.
 */
class TomcatCloseConformanceTests extends CloseConformanceTests {

}
