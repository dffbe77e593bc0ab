package io.autobahn.spring.sample.echo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a user meets it: {@code /} serves the echo page (which talks to
 * {@code /echo} on the page's own host, and refers to nothing the application does not
 * serve, favicon included), {@code /echo} and {@code /hooks} echo text and
 * binary over a real WebSocket, and the application still listens on port 9000 when run
 * normally.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class EchoApplicationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	@Test
	void rootServesTheEchoPage() throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/")).timeout(TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/html"));
		assertThat(response.body()).contains("<title>Autobahn echo</title>").contains("location.host + \"/echo\"");
	}

	@Test
	void echoPageReferencesNoMissingResource() throws Exception {
		String page = get("/").body();
		// Without an icon of its own, a browser asks for /favicon.ico, which the sample does not have.
		assertThat(page).containsPattern("<link rel=\"icon\" href=\"[^\"]+\">");
		Matcher references = Pattern.compile("(?:href|src)=\"([^\"]*)\"").matcher(page);
		while (references.find()) {
			String reference = references.group(1);
			if (!reference.startsWith("data:")) {
				assertThat(get(reference.startsWith("/") ? reference : "/" + reference).statusCode()).as(reference)
					.isEqualTo(200);
			}
		}
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).timeout(TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void echoEndpointEchoesTextAndBinary() throws Exception {
		Client client = Client.connect(this.port, "/echo");
		client.webSocket.sendText("héllo ✓", true).get(10, TimeUnit.SECONDS);
		assertThat(client.next()).isEqualTo("text:héllo ✓");
		client.webSocket.sendBinary(ByteBuffer.wrap(new byte[] { 0, 1, 2, (byte) 0xff }), true)
			.get(10, TimeUnit.SECONDS);
		assertThat(client.next()).isEqualTo("binary:[0, 1, 2, -1]");
		client.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
		assertThat(client.next()).isEqualTo("close:1000");
	}

	@Test
	void hooksEndpointEchoesToo() throws Exception {
		Client client = Client.connect(this.port, "/hooks");
		client.webSocket.sendText("hello hooks", true).get(10, TimeUnit.SECONDS);
		assertThat(client.next()).isEqualTo("text:hello hooks");
		client.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
		assertThat(client.next()).isEqualTo("close:1000");
	}

	@Test
	void runsOnPort9000ByDefault() throws Exception {
		// RANDOM_PORT overrides server.port in this test, so read the configuration itself.
		List<PropertySource<?>> config = new YamlPropertySourceLoader().load("application.yml",
				new ClassPathResource("application.yml"));
		assertThat(config).singleElement()
			.satisfies((source) -> assertThat(String.valueOf(source.getProperty("server.port"))).isEqualTo("9000"));
	}

	/** The JDK's WebSocket client, each message or close as a string in a queue. */
	private static final class Client implements WebSocket.Listener {

		private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		private final StringBuilder text = new StringBuilder();

		private WebSocket webSocket;

		static Client connect(int port, String path) throws Exception {
			Client client = new Client();
			client.webSocket = HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.connectTimeout(TIMEOUT)
				.buildAsync(URI.create("ws://127.0.0.1:" + port + path), client)
				.get(10, TimeUnit.SECONDS);
			return client;
		}

		String next() throws InterruptedException {
			String next = this.received.poll(10, TimeUnit.SECONDS);
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

}
