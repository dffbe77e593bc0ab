package io.autobahn.spring.websocket;

/**
 * Thrown when a protocol sends on a connection that is no longer open (closing or
 * closed), or whose outgoing buffer overflowed. As in Autobahn, a send on a dead
 * connection is an error the caller sees rather than a message silently dropped.
 */
public class Disconnected extends IllegalStateException {

	/**
	 * Create a new instance.
	 * @param message the detail message
	 */
	public Disconnected(String message) {
		super(message);
	}

	/**
	 * Create a new instance.
	 * @param message the detail message
	 * @param cause the cause
	 */
	public Disconnected(String message, Throwable cause) {
		super(message, cause);
	}

}
