package io.autobahn.spring.websocket.behaviour;

/**
 * {@link StartupLogTests} on WebFlux: the application's own port is Reactor Netty's.
 */
class NettyStartupLogTests extends StartupLogTests {

	@Override
	String mainServer() {
		return "Reactor Netty";
	}

}
