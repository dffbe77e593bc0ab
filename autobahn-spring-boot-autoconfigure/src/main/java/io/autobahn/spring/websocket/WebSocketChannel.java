package io.autobahn.spring.websocket;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One WebSocket connection as a protocol instance sees it: Autobahn's
 * {@code IWebSocketChannel}. The starter implements it once, for every stack; application
 * code normally calls the same methods on {@link WebSocketProtocol} or
 * {@link WebSocketConnection} instead.
 * <p>
 * Every method is safe to call from any thread. Sends never interleave the frames of two
 * messages, never block the caller without bound, and throw {@link Disconnected} once the
 * connection is closing or closed.
 */
public interface WebSocketChannel {

	/**
	 * Send a message, split into frames of at most {@code fragmentSize} bytes.
	 * @param payload the payload; for a text message its UTF-8 bytes
	 * @param isBinary {@code true} for a binary message, {@code false} for text
	 * @param fragmentSize the largest frame payload, or {@code 0} for the endpoint's
	 * {@code auto-fragment-size}
	 * @throws Disconnected if the connection is not open or the send buffer overflowed
	 */
	void sendMessage(byte[] payload, boolean isBinary, int fragmentSize);

	/**
	 * Start the closing handshake. Already closing or closed: does nothing.
	 * @param code the close code (1000 or 3000-4999), or {@code null} for an empty close
	 * frame
	 * @param reason the reason (at most 123 UTF-8 bytes), or {@code null}
	 * @throws IllegalArgumentException for any other code or a longer reason; nothing is
	 * sent then
	 */
	void sendClose(@Nullable Integer code, @Nullable String reason);

	/**
	 * Send a ping. Not open: does nothing, as in Autobahn.
	 * @param payload at most 125 bytes
	 * @throws IllegalArgumentException for a longer payload
	 */
	void sendPing(byte[] payload);

	/**
	 * Send a pong (also unsolicited). Not open: does nothing.
	 * @param payload at most 125 bytes
	 * @throws IllegalArgumentException for a longer payload
	 */
	void sendPong(byte[] payload);

	/**
	 * Drop the TCP connection at once, without a closing handshake: Autobahn's
	 * {@code dropConnection()}, what its {@code failByDrop} does. Nothing more is sent or
	 * delivered; {@code onClose(false, 1006, ...)} follows (after the hook that called this
	 * returns, when called from one). Already closed: does nothing.
	 * @throws IllegalStateException during {@code onConnect}, where throwing
	 * {@link ConnectionDeny} refuses the connection instead
	 */
	void dropConnection();

	/**
	 * Return whether the connection is open: after {@code onOpen} and before a close
	 * started.
	 * @return whether messages can be sent
	 */
	boolean isOpen();

	/**
	 * Return the peer in Autobahn's format, such as {@code tcp4:127.0.0.1:54321}.
	 * @return the peer
	 */
	String getPeer();

	/**
	 * Return the negotiated subprotocol.
	 * @return the subprotocol, or {@code null}
	 */
	@Nullable String getSubprotocol();

	/**
	 * Return the negotiated extensions, such as {@code permessage-deflate}.
	 * @return the extension names in use
	 */
	List<String> getExtensions();

}
