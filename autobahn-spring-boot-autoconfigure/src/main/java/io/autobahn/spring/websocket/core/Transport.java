package io.autobahn.spring.websocket.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The frame-level operations a web stack provides to a connection. Writes never block
 * their caller: each write hands one frame over and returns, and the transport reports
 * later, through the {@link Completion} given with it, that the frame was written to the
 * network (or could not be). The connection's {@link OutboundQueue} makes every call, one
 * at a time, and owns the send bounds: it counts a frame's bytes from the send that made
 * it until its completion, and drops the connection when a completion does not come
 * within {@code send-time-limit}.
 * <p>
 * The contract, for a stack's implementation:
 * <ul>
 * <li>Every write method either throws (the frame was not taken, and its completion is
 * never called) or takes the frame and calls exactly one of its completion's methods,
 * exactly once, with the bytes given in the call: on any thread, possibly before the
 * method returned (on the calling thread or another one). A frame still held when the
 * connection goes away completes with {@link Completion#failed}.</li>
 * <li>A transport that {@link #buffersWrites() buffers writes} (Reactor Netty's channel)
 * is handed the next frame as soon as a write returns; any other one only once the
 * previous frame's completion has been called. Calls are never concurrent.</li>
 * <li>Completions must not block: they run the send path on, writing the next frame.</li>
 * <li>{@link #close} is written like any frame, after the frames before it;
 * {@link #abort()} may come from any thread at any time, and then fails the frames still
 * held.</li>
 * </ul>
 */
public interface Transport {

	/**
	 * Write one text frame (a whole message, or a fragment of one).
	 * @param utf8 the frame's payload, UTF-8 ending on a code point boundary; read from
	 * its position to its limit, which the transport may move; its bytes are the
	 * transport's until the completion
	 * @param last whether this frame ends the message
	 * @param completion told when the frame is written, with {@code utf8.remaining()} as
	 * given
	 * @throws IOException if the frame was not taken
	 */
	void sendText(ByteBuffer utf8, boolean last, Completion completion) throws IOException;

	/**
	 * Write one binary frame (a whole message, or a fragment of one).
	 * @param data the frame's payload, as for
	 * {@link #sendText(ByteBuffer, boolean, Completion)}
	 * @param last whether this frame ends the message
	 * @param completion told when the frame is written, with {@code data.remaining()} as
	 * given
	 * @throws IOException if the frame was not taken
	 */
	void sendBinary(ByteBuffer data, boolean last, Completion completion) throws IOException;

	/**
	 * Write one text frame from part of an array, which stays the transport's until the
	 * completion. Stacks that can wrap an array without a {@link ByteBuffer} override
	 * this.
	 * @param utf8 the text's UTF-8 bytes
	 * @param offset where this frame's bytes start (on a code point boundary)
	 * @param length how many bytes this frame has (ending on a code point boundary)
	 * @param last whether this frame ends the message
	 * @param completion told when the frame is written, with {@code length}
	 * @throws IOException if the frame was not taken
	 */
	default void sendText(byte[] utf8, int offset, int length, boolean last, Completion completion) throws IOException {
		sendText(ByteBuffer.wrap(utf8, offset, length), last, completion);
	}

	/**
	 * Write one binary frame from part of an array, as
	 * {@link #sendText(byte[], int, int, boolean, Completion)}.
	 * @param data the payload
	 * @param offset where this frame's bytes start
	 * @param length how many bytes this frame has
	 * @param last whether this frame ends the message
	 * @param completion told when the frame is written, with {@code length}
	 * @throws IOException if the frame was not taken
	 */
	default void sendBinary(byte[] data, int offset, int length, boolean last, Completion completion)
			throws IOException {
		sendBinary(ByteBuffer.wrap(data, offset, length), last, completion);
	}

	/**
	 * Write a whole message in one frame whose bytes many connections share: they must
	 * not be copied per connection where the stack can avoid it, nor changed. By default
	 * its payload goes through {@link #sendText(ByteBuffer, boolean, Completion)} or
	 * {@link #sendBinary(ByteBuffer, boolean, Completion)}, as a buffer of its own over
	 * the shared bytes; a stack that writes raw bytes may write
	 * {@link SharedMessage#frame()} as it is, where it compresses nothing.
	 * @param message the message
	 * @param completion told when the frame is written, with {@code message.size()}
	 * @throws IOException if the frame was not taken
	 */
	default void sendShared(SharedMessage message, Completion completion) throws IOException {
		if (message.isBinary()) {
			sendBinary(message.payload(), true, completion);
		}
		else {
			sendText(message.payload(), true, completion);
		}
	}

	/**
	 * Write a ping.
	 * @param payload at most 125 bytes
	 * @param completion told when the frame is written, with {@code payload.remaining()}
	 * @throws IOException if the frame was not taken
	 */
	void sendPing(ByteBuffer payload, Completion completion) throws IOException;

	/**
	 * Write a pong.
	 * @param payload at most 125 bytes
	 * @param completion told when the frame is written, with {@code payload.remaining()}
	 * @throws IOException if the frame was not taken
	 */
	void sendPong(ByteBuffer payload, Completion completion) throws IOException;

	/**
	 * Start the closing handshake: write the close frame, after the frames before it.
	 * @param code the close code, or {@code null} for an empty close frame where the
	 * container can send one
	 * @param reason the reason, or {@code null}
	 * @param completion told when the frame is written, with {@code 0} bytes
	 * @throws IOException if the frame was not taken
	 */
	void close(@Nullable Integer code, @Nullable String reason, Completion completion) throws IOException;

	/**
	 * Drop the TCP connection without waiting for a closing handshake. Frames still held
	 * complete with {@link Completion#failed}.
	 */
	void abort();

	/**
	 * Return whether this transport takes a frame before the previous one is written, and
	 * holds them until they are (a channel's outbound buffer). The send path then hands
	 * it frames one after the other; otherwise it waits for each frame's completion
	 * first.
	 * @return {@code false} by default
	 */
	default boolean buffersWrites() {
		return false;
	}

	/**
	 * Write out what a transport that {@link #buffersWrites() buffers writes} holds back
	 * to write later in one go, when called on the thread that would write it: the send
	 * path calls it before it judges the peer too slow, since held-back frames are not
	 * yet the peer's to read. Their completions may run before this returns. Does nothing
	 * by default.
	 */
	default void flush() {
	}

	/**
	 * Return whether this stack reports a server-initiated close as soon as the server's
	 * close frame is sent, before the peer answered it (Tomcat). The connection then asks
	 * {@link #isPeerCloseReceived()} to tell a completed closing handshake from a peer
	 * that never answered.
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

	/**
	 * Told the outcome of one write. The send path passes the same instance for many
	 * writes, so a transport reports the bytes it was given with the write.
	 * Implementations are thread-safe and never block.
	 */
	interface Completion {

		/**
		 * The frame is written: handed to the network (the operating system's buffer).
		 * @param bytes the payload bytes of the frame, as given with the write
		 */
		void written(long bytes);

		/**
		 * The frame could not be written: the connection is broken or gone.
		 * @param bytes the payload bytes of the frame, as given with the write
		 * @param failure why
		 */
		void failed(long bytes, Throwable failure);

	}

}
