package io.autobahn.spring.websocket.behaviour;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import io.autobahn.spring.websocket.WebSocketClient;
import io.autobahn.spring.websocket.WebSocketClientProtocol;
import io.autobahn.spring.websocket.WebSocketConnector;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client role of RFC 6455 against a raw server socket that answers the opening
 * handshake and then writes exactly the frames a test gives it (the most important cases
 * of the Autobahn|Testsuite's fuzzing server, mirrored): unmasked and fragmented server
 * frames are delivered, a close with a code and reason is answered and reported, and a
 * masked server frame, invalid UTF-8, a fragmented ping and an invalid close code each
 * fail the connection without delivering anything.
 * <p>
 * RFC 6455 lets an endpoint that fails the connection send a close frame or not (7.1.7):
 * Reactor Netty's client sends 1007 for invalid UTF-8 and drops the connection for the
 * others (as observed with Reactor Netty 1.3); the JDK's {@code java.net.http} client
 * sends a close of its own or drops it (it cannot send the engine's codes). So the test
 * checks that the connection ends uncleanly, that a close frame, where one comes, carries
 * the right code (Reactor Netty), and that nothing is delivered. Client-side: each stack
 * module runs it through a subclass that names the client transport.
 */
@SpringBootTest(classes = ClientConformanceTests.ClientApplication.class, webEnvironment = WebEnvironment.NONE)
abstract class ClientConformanceTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Autowired
	WebSocketConnector connector;

	@Autowired
	Environment environment;

	@Test
	void unmaskedAndFragmentedServerFramesAreDelivered() throws Exception {
		try (RawServer server = new RawServer()) {
			RawClient client = connect(server);
			server.send(0x01, false, "Hel".getBytes(StandardCharsets.UTF_8));
			server.send(0x80, false, "lo ✓".getBytes(StandardCharsets.UTF_8));
			server.send(0x82, false, new byte[] { 1, 2, 3 });
			assertThat(client.messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("text Hello ✓");
			assertThat(client.messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("binary 3");
			client.sendClose();
			RawServer.Frame close = server.readFrame();
			assertThat(close).isNotNull();
			assertThat(close.opcode()).isEqualTo(0x8);
			assertThat(close.masked()).as("client frames are masked").isTrue();
		}
	}

	@Test
	void aCloseWithACodeAndReasonIsAnsweredAndReported() throws Exception {
		try (RawServer server = new RawServer()) {
			RawClient client = connect(server);
			server.send(0x88, false, closePayload(4001, "bye"));
			Object[] closed = client.closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(closed).containsExactly(true, 4001, "bye");
			RawServer.Frame answer = server.readFrame();
			assertThat(answer).as("the client answers the close").isNotNull();
			assertThat(answer.opcode()).isEqualTo(0x8);
		}
	}

	@Test
	void aMaskedServerFrameFailsTheConnection() throws Exception {
		assertFails(1002, 0x81, true, "masked".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void invalidUtf8FailsTheConnectionWith1007() throws Exception {
		// "κόσμε" followed by an encoded surrogate (ED A0 80), which UTF-8 forbids.
		byte[] invalid = { (byte) 0xce, (byte) 0xba, (byte) 0xe1, (byte) 0xbd, (byte) 0xb9, (byte) 0xcf, (byte) 0x83,
				(byte) 0xce, (byte) 0xbc, (byte) 0xce, (byte) 0xb5, (byte) 0xed, (byte) 0xa0, (byte) 0x80 };
		assertFails(1007, 0x81, false, invalid);
	}

	@Test
	void aFragmentedPingFailsTheConnection() throws Exception {
		assertFails(1002, 0x09, false, "ping".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void aCloseWithAnInvalidCodeFailsTheConnection() throws Exception {
		assertFails(1002, 0x88, false, closePayload(999, ""));
	}

	/**
	 * Write one frame that violates the protocol, then a valid text frame: the client
	 * delivers neither, and the connection ends (with the code where the transport sends
	 * one).
	 */
	private void assertFails(int code, int firstByte, boolean mask, byte[] payload) throws Exception {
		try (RawServer server = new RawServer()) {
			RawClient client = connect(server);
			server.send(firstByte, mask, payload);
			server.sendQuietly(0x81, false, "after".getBytes(StandardCharsets.UTF_8));
			Object[] closed = client.closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			RawServer.Frame frame = server.readFrame();
			if (isReactorNetty() && code == 1007) {
				assertThat(frame).as("the client's close frame").isNotNull();
			}
			if (frame != null) {
				assertThat(frame.opcode()).as("a close frame, or the end of the connection").isEqualTo(0x8);
				if (isReactorNetty()) {
					assertThat(frame.closeCode()).isEqualTo(code);
				}
			}
			assertThat(closed[0]).as("onClose's wasClean").isEqualTo(false);
			assertThat(client.messages).as("nothing delivered").isEmpty();
		}
	}

	private RawClient connect(RawServer server) throws Exception {
		CompletableFuture<RawClient> connect = this.connector.connect(server.uri(), RawClient.class);
		server.acceptHandshake();
		return connect.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

	private boolean isReactorNetty() {
		return "reactor-netty".equals(this.environment.getRequiredProperty("autobahn.websocket.client.transport"));
	}

	private static byte[] closePayload(int code, String reason) {
		byte[] text = reason.getBytes(StandardCharsets.UTF_8);
		byte[] payload = new byte[2 + text.length];
		payload[0] = (byte) (code >> 8);
		payload[1] = (byte) code;
		System.arraycopy(text, 0, payload, 2, text.length);
		return payload;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(RawClient.class)
	static class ClientApplication {

	}

	/** Queues what it receives and completes a future with its close. */
	@WebSocketClient
	static class RawClient extends WebSocketClientProtocol {

		final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

		final CompletableFuture<@Nullable Object[]> closed = new CompletableFuture<>();

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			this.messages
				.add(isBinary ? "binary " + payload.length : "text " + new String(payload, StandardCharsets.UTF_8));
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			this.closed.complete(new Object[] { wasClean, code, reason });
		}

	}

	/**
	 * A server for one connection on 127.0.0.1: it answers the opening handshake with a
	 * plain {@code 101} (no subprotocol, no extension), then writes the frames it is
	 * given byte for byte and reads the client's.
	 */
	static final class RawServer implements AutoCloseable {

		private static final Pattern KEY = Pattern.compile("(?im)^Sec-WebSocket-Key:\\s*(\\S+)\\s*$");

		private final ServerSocket server;

		private @Nullable Socket socket;

		RawServer() throws IOException {
			this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
			this.server.setSoTimeout((int) TIMEOUT.toMillis());
		}

		URI uri() {
			return URI.create("ws://127.0.0.1:" + this.server.getLocalPort() + "/raw");
		}

		void acceptHandshake() throws Exception {
			Socket socket = this.server.accept();
			socket.setSoTimeout((int) TIMEOUT.toMillis());
			this.socket = socket;
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream request = new ByteArrayOutputStream();
			while (!request.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
				int b = in.read();
				if (b < 0 || request.size() > 16 * 1024) {
					throw new IOException("No complete opening handshake: " + request);
				}
				request.write(b);
			}
			Matcher key = KEY.matcher(request.toString(StandardCharsets.ISO_8859_1));
			assertThat(key.find()).as("Sec-WebSocket-Key in %s", request).isTrue();
			byte[] digest = MessageDigest.getInstance("SHA-1")
				.digest((key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1));
			String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Accept: " + Base64.getEncoder().encodeToString(digest) + "\r\n\r\n";
			socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
		}

		/** Write a frame with a payload under 126 bytes. */
		void send(int firstByte, boolean mask, byte[] payload) throws IOException {
			OutputStream out = socket().getOutputStream();
			ByteArrayOutputStream frame = new ByteArrayOutputStream();
			frame.write(firstByte);
			frame.write((mask ? 0x80 : 0) | payload.length);
			byte[] key = { 0x12, 0x34, 0x56, 0x78 };
			if (mask) {
				frame.write(key);
			}
			for (int i = 0; i < payload.length; i++) {
				frame.write(mask ? payload[i] ^ key[i % 4] : payload[i]);
			}
			out.write(frame.toByteArray());
			out.flush();
		}

		/** Write a frame unless the client has already closed the connection. */
		void sendQuietly(int firstByte, boolean mask, byte[] payload) {
			try {
				send(firstByte, mask, payload);
			}
			catch (IOException ex) {
				// The client failed the connection already.
			}
		}

		/**
		 * Read the client's next frame (a payload under 126 bytes).
		 * @return the frame, or {@code null} when the connection ended first
		 */
		@Nullable Frame readFrame() throws IOException {
			DataInputStream in = new DataInputStream(socket().getInputStream());
			try {
				int first = in.readUnsignedByte();
				int second = in.readUnsignedByte();
				boolean masked = (second & 0x80) != 0;
				int length = second & 0x7f;
				byte[] key = new byte[4];
				if (masked) {
					in.readFully(key);
				}
				byte[] payload = new byte[length];
				in.readFully(payload);
				if (masked) {
					for (int i = 0; i < length; i++) {
						payload[i] ^= key[i % 4];
					}
				}
				return new Frame(first & 0x0f, masked, payload);
			}
			catch (EOFException | SocketException | SocketTimeoutException ex) {
				return null;
			}
		}

		private Socket socket() {
			Socket socket = this.socket;
			if (socket == null) {
				throw new IllegalStateException("No connection accepted");
			}
			return socket;
		}

		@Override
		public void close() throws IOException {
			if (this.socket != null) {
				this.socket.close();
			}
			this.server.close();
		}

		/** A frame the client sent, unmasked. */
		record Frame(int opcode, boolean masked, byte[] payload) {

			@Nullable Integer closeCode() {
				return (this.payload.length >= 2) ? ((this.payload[0] & 0xff) << 8) | (this.payload[1] & 0xff) : null;
			}

		}

	}

}
