package io.autobahn.spring.websocket.test;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * A WebSocket client on a plain socket, for tests that must see or send exactly the bytes
 * on the wire: the handshake response, single frames, fragments, invalid frames, a peer
 * that stops reading or vanishes. It sends what it is told (masked unless told otherwise)
 * and checks nothing of what it reads; {@link WebSocketTestClient} is the polite client
 * built on it, and {@link TestWebSocket#raw()} hands one of its connections over.
 * <p>
 * Not thread-safe: one test thread uses it. {@link #close()} closes the socket without a
 * closing handshake.
 */
public final class RawWebSocket implements Closeable {

	public static final int CONTINUATION = 0x0;

	public static final int TEXT = 0x1;

	public static final int BINARY = 0x2;

	public static final int CLOSE = 0x8;

	public static final int PING = 0x9;

	public static final int PONG = 0xA;

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private final HandshakeResponse handshake;

	private RawWebSocket(Socket socket, HandshakeResponse handshake, DataInputStream in) throws IOException {
		this.socket = socket;
		this.in = in;
		this.out = socket.getOutputStream();
		this.handshake = handshake;
	}

	/**
	 * Open a socket and send an opening handshake with the usual headers plus the given
	 * ones (a header given with a {@code null} value is left out).
	 * @param port the server port on 127.0.0.1
	 * @param path the request path (with query)
	 * @param extraHeaders additional or replacing headers
	 * @return the client; check {@link #handshake()} for the status
	 */
	public static RawWebSocket connect(int port, String path, Map<String, ? extends @Nullable String> extraHeaders)
			throws IOException {
		Map<String, @Nullable String> headers = handshakeHeaders(port);
		headers.putAll(extraHeaders);
		return connect(port, "GET", path, headers);
	}

	/**
	 * The usual headers of an opening handshake, in the order they are sent:
	 * {@code Host}, {@code Upgrade}, {@code Connection}, a random
	 * {@code Sec-WebSocket-Key} and {@code Sec-WebSocket-Version: 13}.
	 * @param port the server port on 127.0.0.1
	 * @return a new map the caller may change
	 */
	public static Map<String, @Nullable String> handshakeHeaders(int port) {
		Map<String, @Nullable String> headers = new LinkedHashMap<>();
		headers.put("Host", "127.0.0.1:" + port);
		headers.put("Upgrade", "websocket");
		headers.put("Connection", "Upgrade");
		byte[] key = new byte[16];
		ThreadLocalRandom.current().nextBytes(key);
		headers.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(key));
		headers.put("Sec-WebSocket-Version", "13");
		return headers;
	}

	/**
	 * Open a socket and send exactly the given request line and headers.
	 * @param port the server port on 127.0.0.1
	 * @param method the request method
	 * @param path the request-target
	 * @param headers the header lines in order (a {@code null} value is left out)
	 * @return the client; check {@link #handshake()} for the status
	 */
	public static RawWebSocket connect(int port, String method, String path,
			Map<String, ? extends @Nullable String> headers) throws IOException {
		return send(port, requestHead(method, path, headers));
	}

	/**
	 * Send an opening handshake with exactly the given headers on a connected socket,
	 * plain or TLS, and read the response head.
	 * @param socket a connected socket, which the returned client owns (closed if this
	 * fails)
	 * @param path the request-target (path and query)
	 * @param headers the header lines in order (a {@code null} value is left out)
	 * @return the client; check {@link #handshake()} for the status
	 */
	public static RawWebSocket connect(Socket socket, String path, Map<String, ? extends @Nullable String> headers)
			throws IOException {
		return send(socket, requestHead("GET", path, headers));
	}

	private static byte[] requestHead(String method, String path, Map<String, ? extends @Nullable String> headers) {
		StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
		headers.forEach((name, value) -> {
			if (value != null) {
				request.append(name).append(": ").append(value).append("\r\n");
			}
		});
		request.append("\r\n");
		return request.toString().getBytes(StandardCharsets.ISO_8859_1);
	}

	/**
	 * Open a socket, send exactly the given bytes (a request head of any form, or none)
	 * and read the response head.
	 * @param port the server port on 127.0.0.1
	 * @param request the bytes to send
	 * @return the client; check {@link #handshake()} for the status
	 * @throws EOFException if the server closed the connection without answering
	 */
	public static RawWebSocket send(int port, byte[] request) throws IOException {
		return send(port, request, 0);
	}

	/**
	 * Open a socket whose receive buffer is at most the given size (so that the server's
	 * writes stall soon once the client stops reading), and send an opening handshake of
	 * the path with the usual headers.
	 * @param port the server port on 127.0.0.1
	 * @param path the request path (with query)
	 * @param receiveBufferSize the socket's receive buffer, set before it connects
	 * @return the client; check {@link #handshake()} for the status
	 */
	public static RawWebSocket connectWithReceiveBuffer(int port, String path, int receiveBufferSize)
			throws IOException {
		StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
		handshakeHeaders(port).forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
		request.append("\r\n");
		return send(port, request.toString().getBytes(StandardCharsets.ISO_8859_1), receiveBufferSize);
	}

	private static RawWebSocket send(int port, byte[] request, int receiveBufferSize) throws IOException {
		Socket socket = new Socket();
		try {
			if (receiveBufferSize > 0) {
				socket.setReceiveBufferSize(receiveBufferSize);
			}
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
		return send(socket, request);
	}

	/**
	 * Send exactly the given bytes on a connected socket, plain or TLS, and read the
	 * response head. The socket gets a read timeout of 10 seconds and
	 * {@code TCP_NODELAY}; it is closed if this fails.
	 * @param socket a connected socket, which the returned client owns
	 * @param request the bytes to send
	 * @return the client; check {@link #handshake()} for the status
	 * @throws EOFException if the server closed the connection without answering
	 */
	public static RawWebSocket send(Socket socket, byte[] request) throws IOException {
		try {
			socket.setSoTimeout(10_000);
			socket.setTcpNoDelay(true);
			IOException writeFailure = null;
			try {
				socket.getOutputStream().write(request);
				socket.getOutputStream().flush();
			}
			catch (SocketException ex) {
				// A server may answer (431, 414) and close before it has read a huge
				// request;
				// the rest of the write then meets a reset, but the answer may be there
				// to read.
				writeFailure = ex;
			}
			DataInputStream in = new DataInputStream(socket.getInputStream());
			try {
				return new RawWebSocket(socket, HandshakeResponse.read(in), in);
			}
			catch (IOException ex) {
				if (writeFailure != null) {
					writeFailure.addSuppressed(ex);
					throw writeFailure;
				}
				throw ex;
			}
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Open a socket and send an opening handshake with the usual headers.
	 * @param port the server port on 127.0.0.1
	 * @param path the request path (with query)
	 * @return the client; check {@link #handshake()} for the status
	 */
	public static RawWebSocket connect(int port, String path) throws IOException {
		return connect(port, path, Map.of());
	}

	/**
	 * Send a request head exactly as given (request line and header lines; the blank line
	 * that ends it is added) and return the response head exactly as received: the status
	 * line and every header line in order, without the final blank line. Useful to send a
	 * header twice or to see repeated response header lines. The socket is closed
	 * afterwards.
	 * @param port the server port on 127.0.0.1
	 * @param requestLines the request line and header lines, without line ends
	 * @return the response head lines
	 */
	public static List<String> exchangeHead(int port, String... requestLines) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(10_000);
			StringBuilder request = new StringBuilder();
			for (String line : requestLines) {
				request.append(line).append("\r\n");
			}
			request.append("\r\n");
			socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			DataInputStream in = new DataInputStream(socket.getInputStream());
			List<String> head = new ArrayList<>();
			for (String line = HandshakeResponse.readLine(in); !line.isEmpty(); line = HandshakeResponse.readLine(in)) {
				head.add(line);
			}
			return head;
		}
	}

	/**
	 * The request lines of an opening handshake for
	 * {@link #exchangeHead(int, String...)}: a GET of the path with the usual headers,
	 * followed by the given header lines.
	 * @param port the server port on 127.0.0.1
	 * @param path the request path (with query)
	 * @param extraHeaderLines additional header lines such as {@code "X-A: 1"}
	 * @return the request lines
	 */
	public static String[] handshakeLines(int port, String path, String... extraHeaderLines) {
		List<String> lines = new ArrayList<>();
		lines.add("GET " + path + " HTTP/1.1");
		handshakeHeaders(port).forEach((name, value) -> lines.add(name + ": " + value));
		lines.addAll(List.of(extraHeaderLines));
		return lines.toArray(String[]::new);
	}

	/**
	 * Return the server's answer to the opening handshake.
	 * @return the response head (and body, for a refusal)
	 */
	public HandshakeResponse handshake() {
		return this.handshake;
	}

	/**
	 * Return the socket, to write bytes that are no frame or to change its options.
	 * @return the socket
	 */
	public Socket socket() {
		return this.socket;
	}

	/**
	 * Send one masked frame.
	 * @param fin whether the frame ends its message
	 * @param rsv the three reserved bits ({@code 4} is RSV1, which marks a compressed
	 * message)
	 * @param opcode the opcode, valid or not
	 * @param payload the payload, of any length (control frames too)
	 */
	public void sendFrame(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
		sendFrame(fin, rsv, opcode, payload, true);
	}

	/**
	 * Send one frame, masked or not.
	 * @param fin whether the frame ends its message
	 * @param rsv the three reserved bits
	 * @param opcode the opcode, valid or not
	 * @param payload the payload
	 * @param masked whether to mask it, as a client must
	 */
	public void sendFrame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) throws IOException {
		ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
		frame.write((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0xF));
		int maskBit = masked ? 0x80 : 0;
		if (payload.length < 126) {
			frame.write(maskBit | payload.length);
		}
		else if (payload.length < 65536) {
			frame.write(maskBit | 126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length & 0xFF);
		}
		else {
			frame.write(maskBit | 127);
			frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
		}
		if (masked) {
			byte[] mask = new byte[4];
			ThreadLocalRandom.current().nextBytes(mask);
			frame.writeBytes(mask);
			byte[] maskedPayload = new byte[payload.length];
			for (int i = 0; i < payload.length; i++) {
				maskedPayload[i] = (byte) (payload[i] ^ mask[i & 3]);
			}
			frame.writeBytes(maskedPayload);
		}
		else {
			frame.writeBytes(payload);
		}
		this.out.write(frame.toByteArray());
		this.out.flush();
	}

	/**
	 * Send a text message in one masked frame.
	 * @param text the text
	 */
	public void sendText(String text) throws IOException {
		sendFrame(true, 0, TEXT, text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Send a binary message in one masked frame.
	 * @param data the payload
	 */
	public void sendBinary(byte[] data) throws IOException {
		sendFrame(true, 0, BINARY, data);
	}

	/** Send a close frame with a code and reason. */
	public void sendClose(int code, String reason) throws IOException {
		byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
		sendFrame(true, 0, CLOSE,
				ByteBuffer.allocate(2 + reasonBytes.length).putShort((short) code).put(reasonBytes).array());
	}

	/**
	 * Read the next frame (server frames are not masked), waiting as long as the socket's
	 * read timeout allows.
	 * @return the frame, unmasked if it was masked
	 * @throws java.net.SocketTimeoutException if nothing arrives within the socket's read
	 * timeout
	 * @throws EOFException if the connection ends first
	 */
	public Frame readFrame() throws IOException {
		return readFrame(this.in.readUnsignedByte());
	}

	/**
	 * Read the next frame, waiting at most the given time for it to start. Once its first
	 * byte has arrived, the rest gets the socket's read timeout, so that a frame is never
	 * left half read by the wait.
	 * @param timeout how long to wait for the frame's first byte, at least a millisecond
	 * @return the frame, unmasked if it was masked
	 * @throws java.net.SocketTimeoutException if no frame started within the timeout; the
	 * client can still read the next one
	 * @throws EOFException if the connection ends first
	 */
	public Frame readFrame(Duration timeout) throws IOException {
		int previous = this.socket.getSoTimeout();
		int b0;
		this.socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
		try {
			b0 = this.in.readUnsignedByte();
		}
		finally {
			if (!this.socket.isClosed()) {
				this.socket.setSoTimeout(previous);
			}
		}
		return readFrame(b0);
	}

	private Frame readFrame(int b0) throws IOException {
		int b1 = this.in.readUnsignedByte();
		long length = b1 & 0x7F;
		if (length == 126) {
			length = this.in.readUnsignedShort();
		}
		else if (length == 127) {
			length = this.in.readLong();
		}
		byte @Nullable [] mask = null;
		if ((b1 & 0x80) != 0) {
			mask = new byte[4];
			this.in.readFully(mask);
		}
		byte[] payload = new byte[Math.toIntExact(length)];
		this.in.readFully(payload);
		if (mask != null) {
			for (int i = 0; i < payload.length; i++) {
				payload[i] ^= mask[i & 3];
			}
		}
		return new Frame((b0 & 0x80) != 0, (b0 >> 4) & 0x7, b0 & 0xF, payload, mask != null);
	}

	/** Read frames until a data frame or close frame, skipping pings and pongs. */
	public Frame readDataOrClose() throws IOException {
		for (;;) {
			Frame frame = readFrame();
			if (frame.opcode() != PING && frame.opcode() != PONG) {
				return frame;
			}
		}
	}

	/** Send a close frame without a payload (no code, no reason). */
	public void sendEmptyClose() throws IOException {
		sendFrame(true, 0, CLOSE, new byte[0]);
	}

	/** Send a pong with the given payload. */
	public void sendPong(byte[] payload) throws IOException {
		sendFrame(true, 0, PONG, payload);
	}

	/**
	 * Read the next complete data message (joining its fragments) or the close frame,
	 * skipping pings and pongs. The returned frame has the first frame's opcode, the
	 * joined payload and {@code fin = true}.
	 */
	public Frame readMessage() throws IOException {
		Frame first = readDataOrClose();
		if (first.opcode() == CLOSE || first.fin()) {
			return first;
		}
		ByteArrayOutputStream joined = new ByteArrayOutputStream();
		joined.writeBytes(first.payload());
		for (;;) {
			Frame next = readDataOrClose();
			if (next.opcode() == CLOSE) {
				return next;
			}
			if (next.opcode() != CONTINUATION) {
				throw new IOException("Expected a continuation frame, got opcode " + next.opcode());
			}
			joined.writeBytes(next.payload());
			if (next.fin()) {
				return new Frame(true, first.rsv(), first.opcode(), joined.toByteArray(), first.masked());
			}
		}
	}

	/**
	 * Read and discard frames until the server's close frame arrives within the timeout.
	 * @return the close frame
	 * @throws IOException if the connection ends or the timeout passes first
	 */
	public Frame awaitCloseFrame(Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		int previous = this.socket.getSoTimeout();
		try {
			for (;;) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new java.net.SocketTimeoutException("No close frame within " + timeout);
				}
				this.socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
				Frame frame = readFrame();
				if (frame.opcode() == CLOSE) {
					return frame;
				}
			}
		}
		finally {
			if (!this.socket.isClosed()) {
				this.socket.setSoTimeout(previous);
			}
		}
	}

	/**
	 * Return whether the server closed the TCP connection within the timeout, reading and
	 * discarding whatever it still sends.
	 */
	public boolean awaitEndOfStream(Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		InputStream raw = this.socket.getInputStream();
		byte[] sink = new byte[8192];
		while (System.nanoTime() < deadline) {
			this.socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis()));
			try {
				if (raw.read(sink) < 0) {
					return true;
				}
			}
			catch (java.net.SocketTimeoutException ex) {
				return false;
			}
			catch (SocketException ex) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Read every frame the server still sends until it closes the TCP connection, within
	 * the timeout: to see whether a dropped connection got a close frame first.
	 * @return the frames, in order
	 * @throws java.net.SocketTimeoutException if the connection is still open at the
	 * timeout
	 */
	public List<Frame> framesUntilEndOfStream(Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<Frame> frames = new ArrayList<>();
		for (;;) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new java.net.SocketTimeoutException(
						"Connection still open after " + timeout + "; read " + frames);
			}
			this.socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
			try {
				frames.add(readFrame());
			}
			catch (EOFException | java.net.SocketException ex) {
				return frames;
			}
		}
	}

	/** Close the socket abruptly with a TCP RST. */
	public void abort() throws IOException {
		this.socket.setSoLinger(true, 0);
		this.socket.close();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * A frame as read from the wire, unmasked.
	 *
	 * @param fin whether it ends its message
	 * @param rsv the three reserved bits
	 * @param opcode the opcode
	 * @param payload the payload
	 * @param masked whether it was masked (a server's frames must not be)
	 */
	public record Frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {

		/**
		 * Return the payload decoded as UTF-8, invalid bytes replaced.
		 * @return the text
		 */
		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		/**
		 * Return the close code of a close frame.
		 * @return the code, or -1 for a close frame without one
		 */
		public int closeCode() {
			return (this.payload.length >= 2) ? ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF) : -1;
		}

		/**
		 * Return the close reason of a close frame.
		 * @return the reason, or an empty string for none
		 */
		public String closeReason() {
			return (this.payload.length > 2)
					? new String(this.payload, 2, this.payload.length - 2, StandardCharsets.UTF_8) : "";
		}

	}

	/**
	 * The server's answer to the opening handshake.
	 *
	 * @param status the HTTP status
	 * @param headers the headers by lower-case name, the lines of a repeated header
	 * joined with {@code ", "}
	 * @param body the body of a refusal ({@code Content-Length} or chunked), or empty
	 */
	public record HandshakeResponse(int status, Map<String, String> headers, String body) {

		/**
		 * Return a header's value (lines of a repeated header joined with ", ").
		 * @param name the header name, in any case
		 * @return the value, or {@code null} if the header is missing
		 */
		public @Nullable String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		static HandshakeResponse read(DataInputStream in) throws IOException {
			String statusLine = readLine(in);
			int status = Integer.parseInt(statusLine.split(" ")[1]);
			Map<String, String> headers = new LinkedHashMap<>();
			for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
				int colon = line.indexOf(':');
				headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
						line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
			}
			String body = "";
			if (status != 101 && headers.containsKey("content-length")) {
				byte[] bytes = new byte[Integer.parseInt(headers.get("content-length"))];
				in.readFully(bytes);
				body = new String(bytes, StandardCharsets.UTF_8);
			}
			else if (status != 101 && "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				ByteArrayOutputStream chunks = new ByteArrayOutputStream();
				for (int size = Integer.parseInt(readLine(in).trim(), 16); size > 0; size = Integer
					.parseInt(readLine(in).trim(), 16)) {
					byte[] chunk = new byte[size];
					in.readFully(chunk);
					chunks.writeBytes(chunk);
					readLine(in);
				}
				body = chunks.toString(StandardCharsets.UTF_8);
			}
			return new HandshakeResponse(status, headers, body);
		}

		private static String readLine(DataInputStream in) throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			for (int b = in.read(); b != '\n'; b = in.read()) {
				if (b < 0) {
					throw new EOFException("Connection closed during the handshake response");
				}
				if (b != '\r') {
					line.write(b);
				}
			}
			return line.toString(StandardCharsets.ISO_8859_1);
		}

	}

}
