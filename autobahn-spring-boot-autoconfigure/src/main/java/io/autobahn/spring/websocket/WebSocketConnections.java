package io.autobahn.spring.websocket;

import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.jspecify.annotations.Nullable;

/**
 * The open connections of the application, or of one endpoint ({@link #forEndpoint(String)}):
 * a live view, injectable as a bean, and, for a protocol's own endpoint,
 * {@link WebSocketServerProtocol#getConnections()} (Autobahn's factory). A connection is in
 * it from just before its {@code onOpen} until its {@code onClose} has run.
 * <p>
 * Thread-safe. Iteration is weakly consistent: it never throws for connections that open
 * or close meanwhile, and may or may not show them.
 */
public interface WebSocketConnections extends Iterable<WebSocketConnection> {

	/**
	 * Return how many connections are open.
	 * @return the count
	 */
	int size();

	/**
	 * Return the open connection with the given id.
	 * @param id the id ({@link WebSocketConnection#getId()})
	 * @return the connection, or {@code null} if none with that id is open here
	 */
	@Nullable WebSocketConnection get(String id);

	/**
	 * Return the open connections of one endpoint.
	 * @param endpointName the endpoint's name
	 * @return a live view of its connections
	 * @throws IllegalArgumentException if there is no such endpoint
	 */
	WebSocketConnections forEndpoint(String endpointName);

	/**
	 * Return the open connections as a stream.
	 * @return a sequential stream
	 */
	default Stream<WebSocketConnection> stream() {
		return StreamSupport.stream(spliterator(), false);
	}

}
