package io.autobahn.spring.websocket.behaviour;

/**
 * {@link StartupLogTests} on Jetty: the application's own port is Jetty's.
 */
class JettyStartupLogTests extends StartupLogTests {

	@Override
	String mainServer() {
		return "Jetty";
	}

}
