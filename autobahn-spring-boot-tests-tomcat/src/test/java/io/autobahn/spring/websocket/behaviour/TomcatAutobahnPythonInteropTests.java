package io.autobahn.spring.websocket.behaviour;

/**
 * {@link AutobahnPythonInteropTests} on Tomcat.
 */
class TomcatAutobahnPythonInteropTests extends AutobahnPythonInteropTests {

}
