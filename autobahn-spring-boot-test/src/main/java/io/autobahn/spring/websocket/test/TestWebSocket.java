package io.autobahn.spring.websocket.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One connection of the {@link WebSocketTestClient}: a blocking WebSocket client, polite
 * unless told otherwise. It sends masked frames (compressed when permessage-deflate was
 * negotiated), answers pings with pongs and a close frame with a close frame while it
 * reads, and reads only when a test asks: {@link #nextMessage()}, {@link #awaitClose()},
 * {@link #expectNoMessage(Duration)}. Each wait is bounded (the client's timeout, 10
 * seconds unless set) and fails with an {@link AssertionError} that says what arrived
 * instead. What the server sends against RFC 6455 (a masked frame, a reserved bit or
 * opcode, a fragmented control frame) fails the read the same way. <pre class="code">
 * try (TestWebSocket client = webSocket.connect("echo")) {
 *     client.sendText("hi");
 *     assertThat(client.nextMessage()).isText().hasText("hi");
 *     client.sendClose(1000, "bye");
 *     assertThat(client.awaitClose()).hasCode(1000).hasReason("bye");
 * }
 * </pre> For what no polite client sends, {@link #sendFrame} writes any frame and
 * {@link #raw()} hands over the connection's {@link RawWebSocket}.
 * <p>
 * Not thread-safe: one test thread uses a connection. {@link #close()} closes it with a
 * closing handshake if it is still open; it is quiet and may be called again.
 * <p>
 * Over this project's usual length (about 550 lines, a third of them javadoc): the read
 * side (fragments, inflation, the checks of what a server may send, the answers to pings
 * and to the close) and the sends share the connection's close state, and are kept in one
 * place to be read together.
 */
public final class TestWebSocket implements AutoCloseable {

	private static final int MAX_CONTROL_PAYLOAD = 125;

	private static final Duration CLOSE_WAIT_ON_CLOSE = Duration.ofSeconds(5);

	private final RawWebSocket raw;

	private final String target;

	private final Duration timeout;

	private final @Nullable String subprotocol;

	private final List<String> extensions;

	private final @Nullable PerMessageDeflate compressor;

	private final @Nullable PerMessageDeflate decompressor;

	/**
	 * Messages read while a test awaited the close, for the next {@link #nextMessage()}.
	 */
	private final Deque<Message> readAhead = new ArrayDeque<>();

	private final List<byte[]> pings = new ArrayList<>();

	private final List<byte[]> pongs = new ArrayList<>();

	private final ByteArrayOutputStream fragments = new ByteArrayOutputStream();

	/** The opcode of the message whose fragments are arriving, or -1. */
	private int fragmentedOpcode = -1;

	private boolean fragmentedCompressed;

	private boolean closeSent;

	private @Nullable Close close;

	TestWebSocket(RawWebSocket raw, String target, Duration timeout, @Nullable String subprotocol,
			List<String> extensions, @Nullable PerMessageDeflate compressor, @Nullable PerMessageDeflate decompressor) {
		this.raw = raw;
		this.target = target;
		this.timeout = timeout;
		this.subprotocol = subprotocol;
		this.extensions = List.copyOf(extensions);
		this.compressor = compressor;
		this.decompressor = decompressor;
	}

	// Sending

	/**
	 * Send a text message in one frame.
	 * @param text the text
	 */
	public void sendText(String text) {
		sendMessage(text.getBytes(StandardCharsets.UTF_8), false, 0);
	}

	/**
	 * Send a binary message in one frame.
	 * @param payload the payload
	 */
	public void sendBinary(byte[] payload) {
		sendMessage(payload, true, 0);
	}

	/**
	 * Send a message in one frame, as Autobahn's {@code sendMessage(payload, isBinary)}.
	 * @param payload the payload; for a text message its UTF-8 bytes, which are sent as
	 * they are (also when they are not valid UTF-8)
	 * @param isBinary whether the message is binary
	 */
	public void sendMessage(byte[] payload, boolean isBinary) {
		sendMessage(payload, isBinary, 0);
	}

	/**
	 * Send a message split into frames of at most {@code fragmentSize} payload bytes (a
	 * compressed message is split after compression), as Autobahn's
	 * {@code sendMessage(payload, isBinary, fragmentSize)}. Text is split at byte
	 * boundaries, inside code points too.
	 * @param payload the payload; for a text message its UTF-8 bytes
	 * @param isBinary whether the message is binary
	 * @param fragmentSize the largest frame payload, or {@code 0} for one frame
	 */
	public void sendMessage(byte[] payload, boolean isBinary, int fragmentSize) {
		if (fragmentSize < 0) {
			throw new IllegalArgumentException("fragmentSize must not be negative, got " + fragmentSize);
		}
		io(() -> {
			byte[] wire = (this.compressor != null) ? this.compressor.compress(payload) : payload;
			int rsv = (this.compressor != null) ? 4 : 0;
			int opcode = isBinary ? RawWebSocket.BINARY : RawWebSocket.TEXT;
			int size = (fragmentSize > 0) ? fragmentSize : Math.max(1, wire.length);
			int offset = 0;
			do {
				int end = Math.min(wire.length, offset + size);
				byte[] frame = new byte[end - offset];
				System.arraycopy(wire, offset, frame, 0, frame.length);
				this.raw.sendFrame(end == wire.length, (offset == 0) ? rsv : 0,
						(offset == 0) ? opcode : RawWebSocket.CONTINUATION, frame);
				offset = end;
			}
			while (offset < wire.length);
		});
	}

	/**
	 * Send a ping.
	 * @param payload the payload (a server closes with 1002 on more than 125 bytes)
	 */
	public void sendPing(byte[] payload) {
		io(() -> this.raw.sendFrame(true, 0, RawWebSocket.PING, payload));
	}

	/**
	 * Send a pong (unsolicited, or an answer the test wants to send itself).
	 * @param payload the payload
	 */
	public void sendPong(byte[] payload) {
		io(() -> this.raw.sendPong(payload));
	}

	/**
	 * Start the closing handshake with a code and a reason; {@link #awaitClose()} then
	 * returns the server's answer.
	 * @param code the close code, any value (a server answers an invalid one with 1002)
	 * @param reason the reason
	 */
	public void sendClose(int code, String reason) {
		io(() -> this.raw.sendClose(code, reason));
		this.closeSent = true;
	}

	/**
	 * Start the closing handshake with an empty close frame (no code).
	 */
	public void sendClose() {
		io(this.raw::sendEmptyClose);
		this.closeSent = true;
	}

	/**
	 * Send one frame exactly as given, masked: for what a polite client never sends (a
	 * reserved opcode or bit, a fragmented ping, a continuation without a start). Nothing
	 * is compressed.
	 * @param fin whether the frame ends its message
	 * @param rsv the three reserved bits ({@code 4} is RSV1, the compressed-message bit)
	 * @param opcode the opcode ({@link RawWebSocket#TEXT}, {@link RawWebSocket#PING},
	 * ...)
	 * @param payload the payload
	 */
	public void sendFrame(boolean fin, int rsv, int opcode, byte[] payload) {
		io(() -> this.raw.sendFrame(fin, rsv, opcode, payload));
		if (opcode == RawWebSocket.CLOSE) {
			this.closeSent = true;
		}
	}

	// Receiving

	/**
	 * Wait for the next whole message, within the client's timeout. Pings that arrive
	 * first are answered and kept ({@link #pings()}).
	 * @return the message
	 * @throws AssertionError if none arrives in time, or the connection closes first
	 */
	public Message nextMessage() {
		return nextMessage(this.timeout);
	}

	/**
	 * Wait for the next whole message.
	 * @param wait how long to wait
	 * @return the message
	 * @throws AssertionError if none arrives in time, or the connection closes first
	 */
	public Message nextMessage(Duration wait) {
		Message message = this.readAhead.poll();
		if (message != null) {
			return message;
		}
		if (this.close != null) {
			throw new AssertionError(
					"Expected a message from " + this.target + " but the connection is closed: " + this.close);
		}
		Object event = read(deadline(wait));
		if (event == null) {
			throw new AssertionError("No message from " + this.target + " within " + wait);
		}
		if (event instanceof Close received) {
			throw new AssertionError("Expected a message from " + this.target + " but got " + received);
		}
		return (Message) event;
	}

	/**
	 * Check that no message arrives for a while. A close that arrives meanwhile ends the
	 * wait ({@link #awaitClose()} returns it).
	 * @param wait how long to watch
	 * @throws AssertionError if a message arrives
	 */
	public void expectNoMessage(Duration wait) {
		Message early = this.readAhead.peek();
		if (early != null) {
			throw new AssertionError("Expected no message from " + this.target + " but got " + early);
		}
		if (this.close != null) {
			return;
		}
		Object event = read(deadline(wait));
		if (event instanceof Message message) {
			throw new AssertionError(
					"Expected no message from " + this.target + " within " + wait + " but got " + message);
		}
	}

	/**
	 * Wait for the connection to close, within the client's timeout: for the server's
	 * close frame (answering it if the client has not sent one, as RFC 6455 asks) or the
	 * end of the connection. Messages that arrive first are kept for
	 * {@link #nextMessage()}.
	 * @return how the connection closed; the same on every later call
	 * @throws AssertionError if it is still open at the timeout
	 */
	public Close awaitClose() {
		return awaitClose(this.timeout);
	}

	/**
	 * Wait for the connection to close.
	 * @param wait how long to wait
	 * @return how the connection closed; the same on every later call
	 * @throws AssertionError if it is still open at the timeout
	 */
	public Close awaitClose(Duration wait) {
		long deadline = deadline(wait);
		for (;;) {
			Close closed = this.close;
			if (closed != null) {
				return closed;
			}
			Object event = read(deadline);
			if (event == null) {
				throw new AssertionError("The connection to " + this.target + " was not closed within " + wait
						+ (this.readAhead.isEmpty() ? "" : "; messages received meanwhile: " + this.readAhead));
			}
			if (event instanceof Message message) {
				this.readAhead.add(message);
			}
		}
	}

	/**
	 * Return whether the connection is open: no close frame sent or received, and not
	 * ended.
	 * @return whether it is open
	 */
	public boolean isOpen() {
		return this.close == null && !this.closeSent;
	}

	/**
	 * Return the payloads of the pings received so far (each answered with a pong).
	 * @return the payloads, in order
	 */
	public List<byte[]> pings() {
		return this.pings.stream().map(byte[]::clone).toList();
	}

	/**
	 * Return the payloads of the pongs received so far.
	 * @return the payloads, in order
	 */
	public List<byte[]> pongs() {
		return this.pongs.stream().map(byte[]::clone).toList();
	}

	/**
	 * Return the server's {@code 101} response, with its headers.
	 * @return the response
	 */
	public RawWebSocket.HandshakeResponse handshake() {
		return this.raw.handshake();
	}

	/**
	 * Return the subprotocol the server chose.
	 * @return the subprotocol, or {@code null}
	 */
	public @Nullable String getSubprotocol() {
		return this.subprotocol;
	}

	/**
	 * Return the extensions in use, such as {@code permessage-deflate}.
	 * @return the extension names
	 */
	public List<String> getExtensions() {
		return this.extensions;
	}

	/**
	 * Return the raw connection under this client, to read and write frames directly. The
	 * two share the socket: what is read through the raw client is not seen here.
	 * @return the raw client
	 */
	public RawWebSocket raw() {
		return this.raw;
	}

	/**
	 * Close the connection: if it is open, send a close frame with 1000 and wait (at most
	 * the client's timeout, 5 seconds at most) for the server's; then close the socket.
	 * Quiet, and does nothing when called again.
	 */
	@Override
	public void close() {
		try {
			if (this.close == null) {
				if (!this.closeSent) {
					sendClose(1000, "");
				}
				awaitClose((this.timeout.compareTo(CLOSE_WAIT_ON_CLOSE) < 0) ? this.timeout : CLOSE_WAIT_ON_CLOSE);
			}
		}
		catch (RuntimeException | AssertionError ex) {
			// Closing anyway.
		}
		finally {
			closeSocket();
		}
	}

	@Override
	public String toString() {
		return "TestWebSocket to " + this.target + " ("
				+ ((this.close != null) ? this.close.toString() : this.closeSent ? "closing" : "open") + ")";
	}

	// The read loop

	/**
	 * Read until a message or the close arrives, or the deadline passes.
	 * @return the {@link Message}, the {@link Close}, or {@code null} at the deadline
	 */
	private @Nullable Object read(long deadline) {
		for (;;) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return null;
			}
			RawWebSocket.Frame frame;
			try {
				frame = this.raw.readFrame(Duration.ofNanos(left));
			}
			catch (SocketTimeoutException ex) {
				return null;
			}
			catch (IOException ex) {
				return ended(Close.dropped("the connection ended without a close frame (" + ex + ")"));
			}
			Object event = received(frame);
			if (event != null) {
				return event;
			}
		}
	}

	private @Nullable Object received(RawWebSocket.Frame frame) {
		if (frame.masked()) {
			throw violation("a masked frame (RFC 6455 5.1: a server must not mask)");
		}
		int opcode = frame.opcode();
		boolean control = opcode >= RawWebSocket.CLOSE;
		if (control && (!frame.fin() || frame.payload().length > MAX_CONTROL_PAYLOAD)) {
			throw violation("a fragmented or too long control frame (RFC 6455 5.5)");
		}
		boolean compressed = (frame.rsv() & 4) != 0;
		if ((frame.rsv() & 3) != 0
				|| (compressed && (this.decompressor == null || control || opcode == RawWebSocket.CONTINUATION))) {
			throw violation("reserved bits " + frame.rsv() + " on opcode " + opcode + " (RFC 6455 5.2, RFC 7692 6)");
		}
		switch (opcode) {
			case RawWebSocket.PING -> {
				this.pings.add(frame.payload());
				if (!this.closeSent) {
					io(() -> this.raw.sendPong(frame.payload()));
				}
				return null;
			}
			case RawWebSocket.PONG -> {
				this.pongs.add(frame.payload());
				return null;
			}
			case RawWebSocket.CLOSE -> {
				return closeReceived(frame);
			}
			case RawWebSocket.TEXT, RawWebSocket.BINARY -> {
				if (this.fragmentedOpcode != -1) {
					throw violation("a new message inside a fragmented one (RFC 6455 5.4)");
				}
				if (frame.fin()) {
					return message(opcode, compressed, frame.payload());
				}
				this.fragmentedOpcode = opcode;
				this.fragmentedCompressed = compressed;
				this.fragments.writeBytes(frame.payload());
				return null;
			}
			case RawWebSocket.CONTINUATION -> {
				if (this.fragmentedOpcode == -1) {
					throw violation("a continuation frame without a message to continue (RFC 6455 5.4)");
				}
				this.fragments.writeBytes(frame.payload());
				if (!frame.fin()) {
					return null;
				}
				byte[] payload = this.fragments.toByteArray();
				int first = this.fragmentedOpcode;
				this.fragments.reset();
				this.fragmentedOpcode = -1;
				return message(first, this.fragmentedCompressed, payload);
			}
			default -> throw violation("the reserved opcode " + opcode + " (RFC 6455 5.2)");
		}
	}

	private Message message(int opcode, boolean compressed, byte[] payload) {
		byte[] data = payload;
		if (compressed) {
			try {
				data = this.decompressor.decompress(payload);
			}
			catch (IOException ex) {
				throw violation("a compressed message that does not inflate (" + ex.getMessage() + ")");
			}
		}
		return Message.of(data, opcode == RawWebSocket.BINARY);
	}

	private Close closeReceived(RawWebSocket.Frame frame) {
		byte[] payload = frame.payload();
		if (payload.length == 1) {
			throw violation("a close frame with a 1-byte payload (RFC 6455 5.5.1)");
		}
		Close received = (payload.length == 0) ? Close.emptyFrame()
				: Close.frame(frame.closeCode(), frame.closeReason());
		try {
			if (!this.closeSent) {
				// RFC 6455 5.5.1: answer with a close frame, echoing the code.
				this.closeSent = true;
				if (payload.length == 0) {
					this.raw.sendEmptyClose();
				}
				else {
					this.raw.sendFrame(true, 0, RawWebSocket.CLOSE,
							ByteBuffer.allocate(2).putShort((short) frame.closeCode()).array());
				}
			}
			// The server closes the TCP connection first (RFC 6455 7.1.1); closing ours
			// before
			// would reset a connection whose answer the server has not read yet.
			this.raw.awaitEndOfStream(this.timeout);
		}
		catch (IOException ex) {
			// Gone already.
		}
		return ended(received);
	}

	private Close ended(Close closed) {
		this.close = closed;
		closeSocket();
		return closed;
	}

	private void closeSocket() {
		try {
			this.raw.close();
		}
		catch (IOException ex) {
			// Nothing left to do.
		}
	}

	private AssertionError violation(String what) {
		AssertionError error = new AssertionError("The server at " + this.target + " sent " + what);
		ended(Close.dropped("the client failed the connection: " + what));
		return error;
	}

	private static long deadline(Duration wait) {
		return System.nanoTime() + wait.toNanos();
	}

	private static void io(IoAction action) {
		try {
			action.run();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@FunctionalInterface
	private interface IoAction {

		void run() throws IOException;

	}

}
