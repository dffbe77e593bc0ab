package io.autobahn.spring.websocket;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.jspecify.annotations.Nullable;

/**
 * The open connections of the application, or of one endpoint
 * ({@link #forEndpoint(String)}): a live view, injectable as a bean, and, for a
 * protocol's own endpoint, {@link WebSocketServerProtocol#getConnections()} (Autobahn's
 * factory). A connection is in it from just before its {@code onOpen} until its
 * {@code onClose} has run.
 * <p>
 * It broadcasts (Autobahn's factory with its list of clients, and a prepared message):
 * one {@link PreparedMessage} is sent to every connection the filter selects, its bytes
 * shared, not copied per connection where the stack can avoid it. A broadcast never
 * blocks and is never slowed down by a slow receiver: each connection takes the message
 * into its own bounded send path and returns at once; a receiver whose unwritten bytes
 * pass {@code send-buffer-size-limit} is dropped alone (a WARN line, then
 * {@code onClose(false, 1006, ...)}), and counted as failed.
 * <p>
 * With several instances of the application linked
 * ({@code autobahn.websocket.cluster.redis}), a broadcast whose filter is a
 * {@link ConnectionSelector}, or that has none, also reaches the connections of the other
 * instances (at most once; the result counts this instance's only); a broadcast filtered
 * by any other {@link Predicate} reaches this instance's connections only.
 * <p>
 * Thread-safe; usable from any thread, a scheduled task, a controller or a protocol's
 * hook. Iteration is weakly consistent: it never throws for connections that open or
 * close meanwhile, and may or may not show them (a broadcast too).
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

	/**
	 * Prepare a message to send to many connections: Autobahn's {@code prepareMessage}.
	 * The payload is copied once, here.
	 * @param payload the payload; for a text message its UTF-8 bytes
	 * @param isBinary {@code true} for a binary message, {@code false} for text
	 * @return the prepared message, to keep and send as often as needed
	 */
	PreparedMessage prepareMessage(byte[] payload, boolean isBinary);

	/**
	 * Prepare a text message to send to many connections.
	 * @param text the text
	 * @return the prepared message
	 */
	default PreparedMessage prepareMessage(String text) {
		return prepareMessage(text.getBytes(StandardCharsets.UTF_8), false);
	}

	/**
	 * Send a prepared message to the open connections the filter selects.
	 * @param message the message
	 * @param filter which connections get it
	 * @return how many were selected, took the message, or did not
	 * @throws IllegalArgumentException for a message not prepared by the starter
	 */
	BroadcastResult broadcast(PreparedMessage message, Predicate<? super WebSocketConnection> filter);

	/**
	 * Send a prepared message to every open connection.
	 * @param message the message
	 * @return how many were selected, took the message, or did not
	 */
	default BroadcastResult broadcast(PreparedMessage message) {
		return broadcast(message, ConnectionSelector.all());
	}

	/**
	 * Send a message to the open connections the filter selects, prepared once.
	 * @param payload the payload; for a text message its UTF-8 bytes
	 * @param isBinary {@code true} for a binary message, {@code false} for text
	 * @param filter which connections get it
	 * @return how many were selected, took the message, or did not
	 */
	default BroadcastResult broadcast(byte[] payload, boolean isBinary, Predicate<? super WebSocketConnection> filter) {
		return broadcast(prepareMessage(payload, isBinary), filter);
	}

	/**
	 * Send a message to every open connection, prepared once.
	 * @param payload the payload; for a text message its UTF-8 bytes
	 * @param isBinary {@code true} for a binary message, {@code false} for text
	 * @return how many were selected, took the message, or did not
	 */
	default BroadcastResult broadcast(byte[] payload, boolean isBinary) {
		return broadcast(prepareMessage(payload, isBinary));
	}

	/**
	 * Send a text message to the open connections the filter selects, prepared once.
	 * @param text the text
	 * @param filter which connections get it
	 * @return how many were selected, took the message, or did not
	 */
	default BroadcastResult broadcast(String text, Predicate<? super WebSocketConnection> filter) {
		return broadcast(prepareMessage(text), filter);
	}

	/**
	 * Send a text message to every open connection, prepared once.
	 * @param text the text
	 * @return how many were selected, took the message, or did not
	 */
	default BroadcastResult broadcast(String text) {
		return broadcast(prepareMessage(text));
	}

}
