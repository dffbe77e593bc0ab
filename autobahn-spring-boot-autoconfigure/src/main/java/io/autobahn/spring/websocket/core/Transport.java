package io.autobahn.spring.websocket.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The frame-level operations a web stack provides to a {@link ProtocolConnection}. Calls
 * are serialized by the connection: at most one thread writes at a time. Writes may
 * block, but for at most the endpoint's {@code send-time-limit}.
 */
public interface Transport {

	/**
	 * Write one text frame (a whole message, or a fragment of one).
	 * @param text the text of this frame
	 * @param last whether this frame ends the message
	 * @throws IOException if the write failed
	 */
	void sendText(String text, boolean last) throws IOException;

	/**
	 * Write one binary frame (a whole message, or a fragment of one).
	 * @param data the payload of this frame
	 * @param last whether this frame ends the message
	 * @throws IOException if the write failed
	 */
	void sendBinary(ByteBuffer data, boolean last) throws IOException;

	/**
	 * Write a ping.
	 * @param payload at most 125 bytes
	 * @throws IOException if the write failed
	 */
	void sendPing(ByteBuffer payload) throws IOException;

	/**
	 * Write a pong.
	 * @param payload at most 125 bytes
	 * @throws IOException if the write failed
	 */
	void sendPong(ByteBuffer payload) throws IOException;

	/**
	 * Start the closing handshake.
	 * @param code the close code, or {@code null} for an empty close frame where the
	 * container can send one
	 * @param reason the reason, or {@code null}
	 * @throws IOException if the write failed
	 */
	void close(@Nullable Integer code, @Nullable String reason) throws IOException;

	/**
	 * Drop the TCP connection without waiting for a closing handshake.
	 */
	void abort();

	/**
	 * Return the negotiated subprotocol.
	 * @return the subprotocol, or {@code null}
	 */
	@Nullable String getSubprotocol();

	/**
	 * Return the names of the negotiated extensions.
	 * @return the extension names
	 */
	List<String> getExtensions();

}
