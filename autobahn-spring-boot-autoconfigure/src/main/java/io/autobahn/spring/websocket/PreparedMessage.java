package io.autobahn.spring.websocket;

import java.nio.ByteBuffer;

/**
 * A message prepared once to be sent to many connections: Autobahn's
 * {@code PreparedMessage}, made by
 * {@link WebSocketConnections#prepareMessage(byte[], boolean)} and sent with
 * {@code sendPreparedMessage} (on a protocol, a channel or a {@link WebSocketConnection})
 * or {@link WebSocketConnections#broadcast(PreparedMessage)}. Its bytes are shared by
 * every connection it is sent to, never copied per connection where the stack can avoid
 * it: on Reactor Netty the whole frame is encoded once, on the servlet containers each
 * connection gets a buffer of its own over the same bytes.
 * <p>
 * Immutable and thread-safe; keep one to send it again. It is always sent in one frame
 * ({@code auto-fragment-size} does not apply). A connection that negotiated
 * permessage-deflate compresses it for itself, as Autobahn's {@code sendPreparedMessage}
 * does.
 */
public interface PreparedMessage {

	/**
	 * Return whether the message is binary.
	 * @return {@code true} for binary, {@code false} for text
	 */
	boolean isBinary();

	/**
	 * Return the payload's length.
	 * @return the bytes of the payload (for text, of its UTF-8)
	 */
	int getSize();

	/**
	 * Return the payload.
	 * @return a read-only buffer over it, from its first byte to its last
	 */
	ByteBuffer getPayload();

}
