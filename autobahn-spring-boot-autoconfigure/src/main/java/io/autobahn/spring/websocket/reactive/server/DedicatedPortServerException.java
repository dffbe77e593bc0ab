package io.autobahn.spring.websocket.reactive.server;

/**
 * A {@link DedicatedPortServer} could not start, such as because its port is taken.
 */
public class DedicatedPortServerException extends RuntimeException {

	/**
	 * Create a new instance.
	 * @param message what failed, naming the port and its endpoints
	 * @param cause the cause
	 */
	public DedicatedPortServerException(String message, Throwable cause) {
		super(message, cause);
	}

}
