package io.autobahn.spring.websocket;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One WebSocket connection seen from outside its protocol instance: what it is (its id,
 * endpoint, peer, handshake, negotiated subprotocol and extensions, when it opened), a
 * map of attributes for the application's own, and the channel methods to talk to it.
 * Obtained from {@link WebSocketConnections} or, inside a protocol,
 * {@link WebSocketProtocol#getConnection()}.
 * <p>
 * Every method is safe to call from any thread. There are no lifecycle methods: the
 * connection opens and closes as its peer and its protocol instance decide; it can only
 * be asked to close ({@link #sendClose(Integer, String)}) or be dropped
 * ({@link #dropConnection()}). A connection stays valid (and its sends throw
 * {@link Disconnected}) after it closed.
 */
public interface WebSocketConnection extends WebSocketChannel {

	/**
	 * Return the connection's id: made when its handshake arrived, never changed, unique
	 * within the JVM and, with overwhelming likelihood, across application instances (a
	 * per-JVM random prefix and a sequence number). An opaque string.
	 * @return the id
	 */
	String getId();

	/**
	 * Return the name of the endpoint the connection belongs to (its key under
	 * {@code autobahn.websocket.endpoints}), or, for a client's connection, the client's
	 * name ({@link WebSocketClientOptions#getName()}).
	 * @return the endpoint's or the client's name
	 */
	String getEndpoint();

	/**
	 * Return the opening handshake: the client's request. On a connection the
	 * application's client opened ({@link #isServer()} {@code false}) it is the request
	 * the client sent, and its peer is the server.
	 * @return the request
	 */
	ConnectionRequest getRequest();

	/**
	 * Return whether this end of the connection is the server: the connection was
	 * accepted by an endpoint, rather than opened by the application's client (a
	 * {@link WebSocketClientProtocol}), whose {@link #getEndpoint()} is the client's
	 * name.
	 * @return {@code true} for a server connection
	 */
	default boolean isServer() {
		return true;
	}

	/**
	 * Return when the connection opened, just before {@code onOpen}.
	 * @return the time, or {@code null} while it has not opened
	 */
	@Nullable Instant getOpenedAt();

	/**
	 * Return the application's attributes of this connection: a thread-safe map (no
	 * {@code null} keys or values) that lives as long as the connection object.
	 * @return the attributes
	 */
	Map<String, Object> getAttributes();

	/**
	 * Return how many messages arrived on this connection (each counted once whole, just
	 * before {@code onMessage}).
	 * @return the count
	 */
	long getMessagesReceived();

	/**
	 * Return the payload bytes of the messages that arrived (after decompression).
	 * @return the bytes
	 */
	long getBytesReceived();

	/**
	 * Return how many messages were handed to this connection's send path (written, or
	 * queued to be), control frames not counted.
	 * @return the count
	 */
	long getMessagesSent();

	/**
	 * Return the payload bytes of the messages handed to the send path (before
	 * compression).
	 * @return the bytes
	 */
	long getBytesSent();

	/**
	 * Send a message in one frame (or in frames of the endpoint's
	 * {@code auto-fragment-size}).
	 * @param payload the payload; for a text message its UTF-8 bytes
	 * @param isBinary {@code true} for a binary message, {@code false} for text
	 * @throws Disconnected if the connection is not open or the send buffer overflowed
	 */
	default void sendMessage(byte[] payload, boolean isBinary) {
		sendMessage(payload, isBinary, 0);
	}

	/**
	 * Send a text message.
	 * @param text the text
	 * @throws Disconnected if the connection is not open or the send buffer overflowed
	 */
	default void sendMessage(String text) {
		sendMessage(text.getBytes(StandardCharsets.UTF_8), false, 0);
	}

}
