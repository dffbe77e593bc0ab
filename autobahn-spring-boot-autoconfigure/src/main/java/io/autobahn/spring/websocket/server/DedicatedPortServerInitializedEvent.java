package io.autobahn.spring.websocket.server;

import org.springframework.context.ApplicationEvent;

/**
 * Published once a {@link DedicatedPortServer} listens, like Spring Boot's
 * {@code WebServerInitializedEvent}: {@code getServer().getPort()} is the bound port,
 * also when the configured one was {@code 0}.
 */
public class DedicatedPortServerInitializedEvent extends ApplicationEvent {

	/**
	 * Create a new instance.
	 * @param server the server that started
	 */
	public DedicatedPortServerInitializedEvent(DedicatedPortServer server) {
		super(server);
	}

	/**
	 * Return the server that started.
	 * @return the server
	 */
	public DedicatedPortServer getServer() {
		return (DedicatedPortServer) getSource();
	}

}
