package io.autobahn.spring.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.internal.ChannelAttachment;

/**
 * Base class of Autobahn-style WebSocket protocols: the hooks the starter calls, and the
 * channel methods to talk back. One instance serves one connection and is never reused.
 * <p>
 * Hooks of one connection never run concurrently: {@code onOpen}, then every
 * {@code onMessage} in arrival order, then {@code onClose} exactly once. Channel methods
 * ({@code sendMessage}, {@code sendClose}, {@code sendPing}, ...) are safe from any
 * thread.
 * <p>
 * Incoming messages come in one of three forms, chosen by the hooks a subclass overrides,
 * once per class:
 * <ul>
 * <li>{@link #onMessage(byte[], boolean)}, Autobahn's form: each message whole, in an
 * array of its own (one copy of the payload, no more).</li>
 * <li>{@link #onMessage(ByteBuffer, boolean)}: each message whole, in a read-only buffer
 * valid for the duration of the call, backed by the stack's own memory where it can be
 * (no copy of the payload there).</li>
 * <li>The streaming hooks, Autobahn's streaming API: a subclass that overrides
 * {@link #onMessageFrameData(ByteBuffer)} gets each message frame by frame, as it
 * arrives, without the message ever being held whole: {@link #onMessageBegin(boolean)},
 * then for each frame {@link #onMessageFrameBegin(long)},
 * {@link #onMessageFrameData(ByteBuffer)} and {@link #onMessageFrameEnd()}, then
 * {@link #onMessageEnd()}. The next frame is read only once the hooks of the previous one
 * have returned. {@code onMessage} is not called then, and
 * {@code max-message-payload-size} does not apply: {@code max-streamed-message-size}
 * does.</li>
 * </ul>
 *
 * @see WebSocketServerProtocol
 */
public abstract class WebSocketProtocol {

	/** Normal closure. */
	public static final int CLOSE_STATUS_CODE_NORMAL = 1000;

	/** The endpoint is going away (server shutdown, browser navigating away). */
	public static final int CLOSE_STATUS_CODE_GOING_AWAY = 1001;

	/** Protocol error. */
	public static final int CLOSE_STATUS_CODE_PROTOCOL_ERROR = 1002;

	/** A data type the endpoint cannot accept. */
	public static final int CLOSE_STATUS_CODE_UNSUPPORTED_DATA = 1003;

	/** Reserved. */
	public static final int CLOSE_STATUS_CODE_RESERVED1 = 1004;

	/** No status code in the close frame (never sent on the wire). */
	public static final int CLOSE_STATUS_CODE_NULL = 1005;

	/** The connection was lost without a closing handshake (never sent on the wire). */
	public static final int CLOSE_STATUS_CODE_ABNORMAL_CLOSE = 1006;

	/** Invalid payload, such as invalid UTF-8 in a text message. */
	public static final int CLOSE_STATUS_CODE_INVALID_PAYLOAD = 1007;

	/** Policy violation. */
	public static final int CLOSE_STATUS_CODE_POLICY_VIOLATION = 1008;

	/** A message was too big to process. */
	public static final int CLOSE_STATUS_CODE_MESSAGE_TOO_BIG = 1009;

	/** The client expected the server to negotiate an extension. */
	public static final int CLOSE_STATUS_CODE_MANDATORY_EXTENSION = 1010;

	/** An unexpected condition, such as an exception in a hook. */
	public static final int CLOSE_STATUS_CODE_INTERNAL_ERROR = 1011;

	/** The service is restarting. */
	public static final int CLOSE_STATUS_CODE_SERVICE_RESTART = 1012;

	/** Try again later. */
	public static final int CLOSE_STATUS_CODE_TRY_AGAIN_LATER = 1013;

	/** Unassigned (1014, "bad gateway" in the IANA registry; not sent by the starter). */
	public static final int CLOSE_STATUS_CODE_UNASSIGNED1 = 1014;

	/** The TLS handshake failed (never sent on the wire). */
	public static final int CLOSE_STATUS_CODE_TLS_HANDSHAKE_FAILED = 1015;

	private static final byte[] EMPTY = new byte[0];

	static {
		ChannelAttachment.register(
				(protocol, connection) -> ((WebSocketProtocol) protocol).attach((WebSocketConnection) connection));
	}

	private volatile @Nullable WebSocketConnection connection;

	/**
	 * Called once the connection is open, before any message.
	 */
	public void onOpen() {
	}

	/**
	 * Called for every complete message, in arrival order, never concurrently.
	 * @param payload the message; for text its UTF-8 bytes (already validated)
	 * @param isBinary {@code true} for a binary message, {@code false} for text
	 */
	public void onMessage(byte[] payload, boolean isBinary) {
	}

	/**
	 * Called for every complete message, as {@link #onMessage(byte[], boolean)} is, with
	 * the payload in a read-only buffer instead of an array of its own: override this
	 * form instead of that one to receive messages without a copy.
	 * <p>
	 * The buffer is valid only for the duration of the call: it may be the stack's own
	 * memory, which is reused or given back once the hook returns. Read it here, or copy
	 * what you keep; never keep the buffer itself or hand it to another thread. A send
	 * from within the hook that would keep a read-only buffer past the call copies it
	 * first.
	 * <p>
	 * What backs it, by stack: on Reactor Netty, the frame's buffer for a message in one
	 * frame, and for a fragmented message one pooled buffer its fragments are joined into
	 * (direct memory, not a heap copy); on Tomcat and Jetty, the container's buffer for a
	 * binary message it hands over in one part, and otherwise the array the starter
	 * joined the parts into (the containers reuse their buffers, and hand text over as
	 * strings, which the starter encodes to UTF-8).
	 * <p>
	 * The default copies the payload into a new array and calls
	 * {@link #onMessage(byte[], boolean)}; the starter calls this form only for a class
	 * that overrides it, and the array form otherwise, so neither pays for the other.
	 * @param payload the message, from its position to its limit; for text its UTF-8
	 * bytes (already validated)
	 * @param isBinary {@code true} for a binary message, {@code false} for text
	 */
	public void onMessage(ByteBuffer payload, boolean isBinary) {
		byte[] bytes = new byte[payload.remaining()];
		payload.get(bytes);
		onMessage(bytes, isBinary);
	}

	/**
	 * Called when a message starts, on a protocol that streams its messages (overrides
	 * {@link #onMessageFrameData(ByteBuffer)}): Autobahn's {@code onMessageBegin}. Its
	 * frames follow, then {@link #onMessageEnd()}, unless the connection closes first
	 * ({@code onClose} then follows instead).
	 * @param isBinary {@code true} for a binary message, {@code false} for text
	 */
	public void onMessageBegin(boolean isBinary) {
	}

	/**
	 * Called when a frame of a streamed message starts: Autobahn's
	 * {@code onMessageFrameBegin}. On Reactor Netty a frame is a WebSocket frame; Tomcat
	 * and Jetty hand over a message in parts rather than frames (what has arrived of it,
	 * a part of a frame or several), and each part is reported as a frame.
	 * @param length the frame's payload length in bytes (for text, of its UTF-8 bytes)
	 */
	public void onMessageFrameBegin(long length) {
	}

	/**
	 * Called with the payload of a frame of a streamed message: Autobahn's
	 * {@code onMessageFrameData}. Overriding it makes the protocol stream its messages.
	 * Not called for an empty frame. Text arrives as UTF-8 bytes, validated as they
	 * arrive, and a character may be split between two frames.
	 * <p>
	 * The buffer is read-only and valid only for the duration of the call, as for
	 * {@link #onMessage(ByteBuffer, boolean)}: read it here, or copy what you keep. The
	 * next frame is read from the connection only after this call returns, so a slow
	 * consumer slows the sender down rather than making the server buffer.
	 * @param payload the frame's payload, from its position to its limit
	 */
	public void onMessageFrameData(ByteBuffer payload) {
	}

	/**
	 * Called when a frame of a streamed message ends: Autobahn's
	 * {@code onMessageFrameEnd}.
	 */
	public void onMessageFrameEnd() {
	}

	/**
	 * Called when a streamed message ends, after its last frame: Autobahn's
	 * {@code onMessageEnd}.
	 */
	public void onMessageEnd() {
	}

	/**
	 * Called exactly once when a connection that reached {@link #onOpen()} is gone.
	 * @param wasClean whether the peer's close frame arrived (it closed, or answered the
	 * server's close): the closing handshake completed; {@code false}, with code 1006,
	 * when the connection dropped, the peer did not answer the server's close within
	 * {@code close-handshake-timeout}, auto-ping timed out or {@link #dropConnection()}
	 * was called
	 * @param code the peer's close code, or {@code null} if its close frame had none
	 * @param reason the peer's close reason, or {@code null} if its close frame had none
	 * (an empty reason is the same on the wire)
	 */
	public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
	}

	/**
	 * Called for a ping from the peer, on stacks that hand pings to the application (the
	 * reactive stack); Tomcat and Jetty answer pings themselves. The default answers with
	 * a pong carrying the same payload.
	 * @param payload the ping payload
	 */
	public void onPing(byte[] payload) {
		sendPong(payload);
	}

	/**
	 * Called for a pong from the peer, solicited or not.
	 * @param payload the pong payload
	 */
	public void onPong(byte[] payload) {
	}

	/**
	 * Called, before {@link #onPong(byte[])}, for the pong that answers the pending
	 * auto-ping (see {@code auto-ping-interval}): Autobahn's {@code onAutoPong}. A pong
	 * with another payload does not answer it.
	 * @param pingSent when the ping was sent, in nanoseconds since the epoch (the first 8
	 * bytes of its payload)
	 * @param pingSequence the ping's sequence number on this connection, from 1 (the next
	 * 4 bytes)
	 * @param pongReceived when the pong arrived, in nanoseconds since the epoch
	 * @param pongRtt the round trip, measured with the monotonic clock (Autobahn gives
	 * whole milliseconds from the wall clock)
	 * @param payload the whole payload
	 */
	public void onAutoPong(long pingSent, int pingSequence, long pongReceived, Duration pongRtt, byte[] payload) {
	}

	/**
	 * Called when the connection is writable again: the bytes sent and not yet written
	 * passed the endpoint's {@code send-buffer-high-water-mark} (so {@link #isWritable()}
	 * said {@code false}) and have drained to its {@code send-buffer-low-water-mark}. A
	 * producer that sends while {@code isWritable()} and resumes here never makes the
	 * server buffer more than the high-water mark and one message, however slowly the
	 * peer reads (Autobahn's producer, paused and resumed). Runs like the other hooks:
	 * never at the same time as another hook of this connection, not after
	 * {@code onClose}.
	 */
	public void onWritable() {
	}

	/**
	 * Send a message in one frame (or in frames of the endpoint's
	 * {@code auto-fragment-size}).
	 * @param payload the payload; for a text message its UTF-8 bytes
	 * @param isBinary {@code true} for a binary message, {@code false} for text
	 * @throws Disconnected if the connection is not open
	 */
	public void sendMessage(byte[] payload, boolean isBinary) {
		channel().sendMessage(payload, isBinary, 0);
	}

	/**
	 * Send a message split into frames of at most {@code fragmentSize} bytes.
	 * @param payload the payload; for a text message its UTF-8 bytes
	 * @param isBinary {@code true} for a binary message, {@code false} for text
	 * @param fragmentSize the largest frame payload in bytes, at least 1
	 * @throws Disconnected if the connection is not open
	 */
	public void sendMessage(byte[] payload, boolean isBinary, int fragmentSize) {
		if (fragmentSize < 1) {
			throw new IllegalArgumentException("fragmentSize must be at least 1, got " + fragmentSize);
		}
		channel().sendMessage(payload, isBinary, fragmentSize);
	}

	/**
	 * Send a text message.
	 * @param text the text
	 * @throws Disconnected if the connection is not open
	 */
	public void sendMessage(String text) {
		channel().sendMessage(text.getBytes(StandardCharsets.UTF_8), false, 0);
	}

	/**
	 * Send a message from a buffer without copying it (see
	 * {@link WebSocketChannel#sendMessage(ByteBuffer, boolean)}): its bytes must not be
	 * changed after this call.
	 * @param payload the payload, from its position to its limit; for a text message its
	 * UTF-8 bytes
	 * @param isBinary {@code true} for a binary message, {@code false} for text
	 * @throws Disconnected if the connection is not open
	 */
	public void sendMessage(ByteBuffer payload, boolean isBinary) {
		channel().sendMessage(payload, isBinary);
	}

	/**
	 * Send a prepared message, whose bytes every connection it is sent to shares:
	 * Autobahn's {@code sendPreparedMessage}.
	 * @param message a message from
	 * {@link WebSocketConnections#prepareMessage(byte[], boolean)}
	 * @throws Disconnected if the connection is not open
	 */
	public void sendPreparedMessage(PreparedMessage message) {
		channel().sendPreparedMessage(message);
	}

	/**
	 * Begin a message sent in parts: Autobahn's {@code beginMessage} (see
	 * {@link WebSocketChannel#beginMessage(boolean)}).
	 * @param isBinary {@code true} for a binary message, {@code false} for text
	 * @throws IllegalStateException if a streamed message is already open
	 * @throws Disconnected if the connection is not open
	 */
	public void beginMessage(boolean isBinary) {
		channel().beginMessage(isBinary);
	}

	/**
	 * Send one frame of the message begun with {@link #beginMessage(boolean)} (see
	 * {@link WebSocketChannel#sendMessageFrameData(ByteBuffer)}).
	 * @param data the frame's payload; for text, UTF-8 ending on a code point boundary
	 * @throws IllegalStateException if no streamed message is open
	 * @throws Disconnected if the connection is not open
	 */
	public void sendMessageFrameData(ByteBuffer data) {
		channel().sendMessageFrameData(data);
	}

	/**
	 * Send one frame of the message begun with {@link #beginMessage(boolean)} from an
	 * array, which must not change after the call.
	 * @param data the frame's payload; for text, UTF-8 ending on a code point boundary
	 * @throws IllegalStateException if no streamed message is open
	 * @throws Disconnected if the connection is not open
	 */
	public void sendMessageFrameData(byte[] data) {
		channel().sendMessageFrameData(data);
	}

	/**
	 * End the message begun with {@link #beginMessage(boolean)}: Autobahn's
	 * {@code endMessage}.
	 * @throws IllegalStateException if no streamed message is open
	 * @throws Disconnected if the connection is not open
	 */
	public void endMessage() {
		channel().endMessage();
	}

	/**
	 * Return whether a producer may send more now (see {@link #onWritable()}).
	 * @return whether the bytes not yet written are below the high-water mark since they
	 * last drained
	 */
	public boolean isWritable() {
		WebSocketConnection connection = this.connection;
		return connection != null && connection.isWritable();
	}

	/**
	 * Start the closing handshake with an empty close frame.
	 */
	public void sendClose() {
		channel().sendClose(null, null);
	}

	/**
	 * Start the closing handshake with a code and a reason.
	 * @param code 1000 or 3000-4999
	 * @param reason at most 123 bytes of UTF-8, or {@code null}
	 * @throws IllegalArgumentException for any other code or a longer reason; nothing is
	 * sent then
	 */
	public void sendClose(int code, @Nullable String reason) {
		channel().sendClose(code, reason);
	}

	/**
	 * Send a ping with an empty payload.
	 */
	public void sendPing() {
		sendPing(EMPTY);
	}

	/**
	 * Send a ping.
	 * @param payload at most 125 bytes
	 * @throws IllegalArgumentException for a longer payload
	 */
	public void sendPing(byte[] payload) {
		channel().sendPing(payload);
	}

	/**
	 * Send a pong.
	 * @param payload at most 125 bytes
	 */
	public void sendPong(byte[] payload) {
		channel().sendPong(payload);
	}

	/**
	 * Drop the TCP connection at once, without a closing handshake (Autobahn's
	 * {@code dropConnection()}). {@code onClose(false, 1006, ...)} follows, after the
	 * current hook returns when called from one. Already closed: does nothing.
	 * @throws IllegalStateException when called from {@code onConnect} (throw
	 * {@link ConnectionDeny} there instead)
	 */
	public void dropConnection() {
		channel().dropConnection();
	}

	/**
	 * Return whether the connection is open.
	 * @return whether messages can be sent
	 */
	public boolean isOpen() {
		WebSocketConnection connection = this.connection;
		return connection != null && connection.isOpen();
	}

	/**
	 * Return the peer in Autobahn's format, such as {@code tcp4:127.0.0.1:54321}.
	 * @return the peer
	 */
	public String getPeer() {
		return channel().getPeer();
	}

	/**
	 * Return the negotiated subprotocol.
	 * @return the subprotocol, or {@code null}
	 */
	public @Nullable String getSubprotocol() {
		return channel().getSubprotocol();
	}

	/**
	 * Return the negotiated extensions.
	 * @return the extension names, such as {@code permessage-deflate}
	 */
	public List<String> getExtensions() {
		return channel().getExtensions();
	}

	/**
	 * Return this instance's connection as code outside it sees it: its id, endpoint and
	 * attributes, and the channel methods, for keeping it in a map or handing it to other
	 * threads. Available from {@code onConnect} on.
	 * @return the connection
	 * @throws IllegalStateException before the starter attached one
	 */
	public WebSocketConnection getConnection() {
		WebSocketConnection connection = this.connection;
		if (connection == null) {
			throw new IllegalStateException("No WebSocket connection is attached to this protocol instance yet");
		}
		return connection;
	}

	/**
	 * Return the channel this instance talks to.
	 * @return the channel
	 * @throws IllegalStateException before the starter attached one
	 */
	protected WebSocketChannel channel() {
		return getConnection();
	}

	/**
	 * Attach the connection this instance serves: called by the starter, through
	 * {@link ChannelAttachment}, once, before {@code onConnect}.
	 */
	private void attach(WebSocketConnection connection) {
		if (this.connection != null) {
			throw new IllegalStateException("Protocol instances serve one connection and are never reused");
		}
		this.connection = connection;
	}

}
