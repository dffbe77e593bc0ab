package io.autobahn.spring.websocket;

import java.nio.ByteBuffer;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One WebSocket connection as a protocol instance sees it: Autobahn's
 * {@code IWebSocketChannel}. The starter implements it once, for every stack; application
 * code normally calls the same methods on {@link WebSocketProtocol} or
 * {@link WebSocketConnection} instead.
 * <p>
 * Every method is safe to call from any thread. Sends never interleave the frames of two
 * messages, never block the caller (they hand the message to the connection's send path
 * and return; it is written as the peer reads), and throw {@link Disconnected} once the
 * connection is closing or closed, or when the send passed {@code send-buffer-size-limit}
 * (which drops the connection). A payload handed to a send belongs to the connection
 * until it is written: it is not copied, so it must not be changed afterwards.
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
	 * Send a message from a buffer, in one frame (or in frames of the endpoint's
	 * {@code auto-fragment-size}), without copying it: its bytes from its position to its
	 * limit are written as they are when the peer reads them, so they must not be changed
	 * after this call (treat the buffer as handed over). Its position and limit are left
	 * as they are. Heap, direct and read-only buffers are all taken. The one exception: a
	 * read-only buffer sent from within {@code onMessage(ByteBuffer, boolean)} or
	 * {@code onMessageFrameData} (the buffer the hook was lent, or a view of it) is
	 * copied first, since the stack reuses that memory once the hook returns.
	 * @param payload the payload; for a text message its UTF-8 bytes
	 * @param isBinary {@code true} for a binary message, {@code false} for text
	 * @throws Disconnected if the connection is not open or the send buffer overflowed
	 */
	void sendMessage(ByteBuffer payload, boolean isBinary);

	/**
	 * Send a prepared message: Autobahn's {@code sendPreparedMessage}. Its bytes are
	 * shared with every other connection it is sent to (see {@link PreparedMessage}).
	 * @param message a message from
	 * {@link WebSocketConnections#prepareMessage(byte[], boolean)}
	 * @throws Disconnected if the connection is not open or the send buffer overflowed
	 * @throws IllegalArgumentException for a message not prepared by the starter
	 */
	void sendPreparedMessage(PreparedMessage message);

	/**
	 * Begin a message sent in parts: Autobahn's {@code beginMessage}. Its frames follow
	 * with {@link #sendMessageFrameData(ByteBuffer)} and its end with
	 * {@link #endMessage()}, from any thread, one call at a time. Until it ends, whole
	 * messages sent meanwhile, from any thread, this one included, wait behind it (frames
	 * of two messages never interleave; control frames may go out in between, as RFC 6455
	 * allows). Its frames count against {@code send-buffer-size-limit} and the outbound
	 * budget like any send, so a producer streams a large message in bounded memory by
	 * sending while {@link #isWritable()} and resuming in {@code onWritable()}. One
	 * streamed message at a time per connection.
	 * @param isBinary {@code true} for a binary message, {@code false} for text
	 * @throws IllegalStateException if a streamed message is already open
	 * @throws Disconnected if the connection is not open
	 */
	void beginMessage(boolean isBinary);

	/**
	 * Send one frame of the message begun with {@link #beginMessage(boolean)}: Autobahn's
	 * {@code beginMessageFrame(length)} followed by the {@code sendMessageFrameData}
	 * calls that fill it, in one call (each call is one frame). The bytes are handed over
	 * as for {@link #sendMessage(ByteBuffer, boolean)}: not copied (except a buffer lent
	 * to a hook), so not to be changed after the call.
	 * @param data the frame's payload, from its position to its limit; for a text message
	 * UTF-8 that ends on a code point boundary (every frame is valid UTF-8 on its own)
	 * @throws IllegalStateException if no streamed message is open
	 * @throws IllegalArgumentException if a text frame ends inside a UTF-8 sequence
	 * @throws Disconnected if the connection is not open or the send buffer overflowed
	 */
	void sendMessageFrameData(ByteBuffer data);

	/**
	 * Send one frame of the message begun with {@link #beginMessage(boolean)} from an
	 * array, handed over as for {@link #sendMessageFrameData(ByteBuffer)}.
	 * @param data the frame's payload
	 * @throws IllegalStateException if no streamed message is open
	 * @throws IllegalArgumentException if a text frame ends inside a UTF-8 sequence
	 * @throws Disconnected if the connection is not open or the send buffer overflowed
	 */
	default void sendMessageFrameData(byte[] data) {
		sendMessageFrameData(ByteBuffer.wrap(data));
	}

	/**
	 * End the message begun with {@link #beginMessage(boolean)}: Autobahn's
	 * {@code endMessage}. An empty final frame follows the frames sent, and the messages
	 * waiting behind it go out.
	 * @throws IllegalStateException if no streamed message is open
	 * @throws Disconnected if the connection is not open or failed meanwhile
	 */
	void endMessage();

	/**
	 * Return whether a producer may send more now: {@code false} once the bytes sent and
	 * not yet written passed the endpoint's {@code send-buffer-high-water-mark}, until
	 * they drained to its {@code send-buffer-low-water-mark}, when the protocol's
	 * {@link WebSocketProtocol#onWritable() onWritable()} runs. Sending while not
	 * writable still works, up to {@code send-buffer-size-limit}, past which the
	 * connection is dropped. Not open: {@code false}.
	 * @return whether the connection is writable
	 */
	boolean isWritable();

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
	 * delivered; {@code onClose(false, 1006, ...)} follows (after the hook that called
	 * this returns, when called from one). Already closed: does nothing.
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
