package io.autobahn.spring.websocket.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The frame-level operations a web stack provides to a connection. Calls are serialized by
 * the connection's {@link OutboundQueue}: at most one thread writes at a time. Writes may
 * block, but for at most the endpoint's {@code send-time-limit}; a transport whose writes
 * do not block says how much it holds ({@link #unwrittenBytes()}), and the queue, which owns
 * the send bounds, holds it to them.
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
	 * Write one text frame from its UTF-8 bytes, which end on a code point boundary.
	 * Stacks that write bytes override this to skip the detour through a string.
	 * @param utf8 the text's UTF-8 bytes
	 * @param offset where this frame's bytes start
	 * @param length how many bytes this frame has
	 * @param last whether this frame ends the message
	 * @throws IOException if the write failed
	 */
	default void sendText(byte[] utf8, int offset, int length, boolean last) throws IOException {
		sendText(new String(utf8, offset, length, StandardCharsets.UTF_8), last);
	}

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
	 * Return the bytes this transport has taken over and not yet written to the socket, for
	 * the send bounds ({@code send-buffer-size-limit}, {@code send-time-limit}).
	 * @return the bytes held; {@code 0} (the default) for a transport whose writes return
	 * once written
	 */
	default long unwrittenBytes() {
		return 0;
	}

	/**
	 * Write out what this transport holds back to write later in one go, before the send
	 * bounds are judged on {@link #unwrittenBytes()}: held back, it is not yet the peer's to
	 * read. Does nothing by default.
	 */
	default void flush() {
	}

	/**
	 * Return whether this stack reports a server-initiated close as soon as the server's
	 * close frame is sent, before the peer answered it (Tomcat). The connection then asks
	 * {@link #isPeerCloseReceived()} to tell a completed closing handshake from a peer that
	 * never answered.
	 * @return {@code true} for such a stack; {@code false} (the default) for one that
	 * reports the close once the peer's close frame arrived or the connection dropped
	 */
	default boolean reportsCloseWhenSent() {
		return false;
	}

	/**
	 * Return whether the peer's close frame has arrived, on a stack that
	 * {@link #reportsCloseWhenSent() reports closes when sent}.
	 * @return whether the closing handshake completed
	 */
	default boolean isPeerCloseReceived() {
		return false;
	}

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
