package io.autobahn.spring.websocket.server;

import java.util.List;

/**
 * A {@link DedicatedPortServer} could not start, such as because its port is taken.
 */
public class DedicatedPortServerException extends RuntimeException {

	private final int port;

	private final List<String> endpointNames;

	/**
	 * Create a new instance.
	 * @param message what failed, naming the port and its endpoints
	 * @param port the port the server was to listen on
	 * @param endpointNames the names of the endpoints it was to serve
	 * @param cause the cause
	 */
	public DedicatedPortServerException(String message, int port, List<String> endpointNames, Throwable cause) {
		super(message, cause);
		this.port = port;
		this.endpointNames = List.copyOf(endpointNames);
	}

	/**
	 * Return the port the server was to listen on.
	 * @return the configured port
	 */
	public int getPort() {
		return this.port;
	}

	/**
	 * Return the endpoints the server was to serve.
	 * @return their names
	 */
	public List<String> getEndpointNames() {
		return this.endpointNames;
	}

}
