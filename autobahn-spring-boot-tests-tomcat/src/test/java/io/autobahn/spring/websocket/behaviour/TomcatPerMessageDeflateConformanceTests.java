package io.autobahn.spring.websocket.behaviour;

/**
 * {@link PerMessageDeflateConformanceTests} on Tomcat.
 */
class TomcatPerMessageDeflateConformanceTests extends PerMessageDeflateConformanceTests {

}
