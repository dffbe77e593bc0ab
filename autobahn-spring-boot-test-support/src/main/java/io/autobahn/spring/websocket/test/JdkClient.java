package io.autobahn.spring.websocket.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's WebSocket client with its messages collected in a queue: the polite,
 * standard-conforming client of the tests.
 */
public final class JdkClient implements WebSocket.Listener {

	private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

	private final CompletableFuture<Received> closed = new CompletableFuture<>();

	private final StringBuilder text = new StringBuilder();

	private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

	private WebSocket webSocket;

	public static JdkClient connect(int port, String path) throws Exception {
		return connect(HttpClient.newHttpClient().newWebSocketBuilder(), port, path);
	}

	public static JdkClient connect(WebSocket.Builder builder, int port, String path) throws Exception {
		JdkClient client = new JdkClient();
		client.webSocket = builder.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(URI.create("ws://127.0.0.1:" + port + path), client)
			.get(10, TimeUnit.SECONDS);
		return client;
	}

	public WebSocket webSocket() {
		return this.webSocket;
	}

	public void sendText(String text) throws Exception {
		this.webSocket.sendText(text, true).get(10, TimeUnit.SECONDS);
	}

	public void sendBinary(byte[] data) throws Exception {
		this.webSocket.sendBinary(ByteBuffer.wrap(data), true).get(10, TimeUnit.SECONDS);
	}

	public void sendClose(int code, String reason) throws Exception {
		this.webSocket.sendClose(code, reason).get(10, TimeUnit.SECONDS);
	}

	/** The next message or close, within 10 seconds. */
	public Received next() throws InterruptedException {
		return next(Duration.ofSeconds(10));
	}

	public Received next(Duration timeout) throws InterruptedException {
		Received message = this.received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
		if (message == null) {
			throw new AssertionError("Nothing received within " + timeout);
		}
		return message;
	}

	/** The close the server sent (or the connection's end), within 10 seconds. */
	public Received awaitClose() throws Exception {
		return this.closed.get(10, TimeUnit.SECONDS);
	}

	public CompletableFuture<Received> closed() {
		return this.closed;
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		webSocket.request(Long.MAX_VALUE);
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.text.append(data);
		if (last) {
			this.received.add(Received.text(this.text.toString()));
			this.text.setLength(0);
		}
		return null;
	}

	@Override
	public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		byte[] bytes = new byte[data.remaining()];
		data.get(bytes);
		this.binary.writeBytes(bytes);
		if (last) {
			this.received.add(Received.binary(this.binary.toByteArray()));
			this.binary.reset();
		}
		return null;
	}

	@Override
	public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
		byte[] bytes = new byte[message.remaining()];
		message.duplicate().get(bytes);
		this.received.add(new Received(Received.Kind.PING, bytes, -1));
		return WebSocket.Listener.super.onPing(webSocket, message);
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		Received close = new Received(Received.Kind.CLOSE, reason.getBytes(StandardCharsets.UTF_8), statusCode);
		this.received.add(close);
		this.closed.complete(close);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		Received close = new Received(Received.Kind.ERROR, String.valueOf(error).getBytes(StandardCharsets.UTF_8),
				1006);
		this.received.add(close);
		this.closed.complete(close);
	}

	/**
	 * Something the client received.
	 */
	public record Received(Kind kind, byte[] payload, int closeCode) {

		public enum Kind {

			TEXT, BINARY, PING, CLOSE, ERROR

		}

		static Received text(String text) {
			return new Received(Kind.TEXT, text.getBytes(StandardCharsets.UTF_8), -1);
		}

		static Received binary(byte[] data) {
			return new Received(Kind.BINARY, data, -1);
		}

		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

	}

}
