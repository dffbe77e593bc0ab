package io.autobahn.spring.sample.echo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDK's WebSocket client, each message or close as a string in a queue; every wait is
 * bounded by 10 s.
 */
final class Client implements WebSocket.Listener {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

	private final StringBuilder text = new StringBuilder();

	private WebSocket webSocket;

	private Client() {
	}

	static Client connect(int port, String path) throws Exception {
		Client client = new Client();
		client.webSocket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.connectTimeout(TIMEOUT)
			.buildAsync(URI.create("ws://127.0.0.1:" + port + path), client)
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		return client;
	}

	void sendText(String message) throws Exception {
		this.webSocket.sendText(message, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
	}

	void sendBinary(byte[] message) throws Exception {
		this.webSocket.sendBinary(ByteBuffer.wrap(message), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
	}

	void sendClose() throws Exception {
		this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
	}

	/**
	 * Return the next message ({@code text:...} or {@code binary:[...]}) or close
	 * ({@code close:<code>}).
	 * @return the next event
	 */
	String next() throws InterruptedException {
		String next = this.received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(next).as("a message or close within 10 s").isNotNull();
		return next;
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		webSocket.request(Long.MAX_VALUE);
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.text.append(data);
		if (last) {
			this.received.add("text:" + this.text);
			this.text.setLength(0);
		}
		return null;
	}

	@Override
	public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		// The echoes here are a few bytes: one frame each.
		byte[] bytes = new byte[data.remaining()];
		data.get(bytes);
		this.received.add("binary:" + Arrays.toString(bytes));
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.received.add("close:" + statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.received.add("error:" + error);
	}

}
