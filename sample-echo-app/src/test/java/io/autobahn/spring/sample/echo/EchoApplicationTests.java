package io.autobahn.spring.sample.echo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
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
 * serve, favicon included), {@code /echo} and {@code /hooks} echo text and binary over a
 * real WebSocket, {@code /chat} broadcasts to a room, {@code /ticker} gets a scheduled
 * broadcast every second, the Actuator shows the chat page's panel what it reads and
 * nothing more, {@code /greeting} (declared with {@code @Bean}) greets and echoes on a
 * port of its own, and the application still listens on ports 9000 and 9001 when run
 * normally. {@code EchoApplicationAotIT} runs the packaged application ahead-of-time
 * processed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "autobahn.websocket.endpoints.greeting.port=0")
class EchoApplicationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Value("${local.autobahn.websocket.greeting.port}")
	int greetingPort;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	@Test
	void rootServesTheEchoPage() throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/")).timeout(TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(response.body()).contains("<title>Autobahn echo</title>").contains("location.host + \"/echo\"");
	}

	@Test
	void echoPageReferencesNoMissingResource() throws Exception {
		assertReferencesServed("/");
	}

	@Test
	void chatPageReferencesNoMissingResource() throws Exception {
		HttpResponse<String> response = get("/chat.html");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("<title>Autobahn chat</title>");
		assertReferencesServed("/chat.html");
	}

	private void assertReferencesServed(String path) throws Exception {
		String page = get(path).body();
		// Without an icon of its own, a browser asks for /favicon.ico, which the sample
		// does not have.
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
		return get(this.port, path);
	}

	private HttpResponse<String> get(int port, String path) throws Exception {
		return this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void echoEndpointEchoesTextAndBinary() throws Exception {
		Client client = Client.connect(this.port, "/echo");
		client.sendText("héllo ✓");
		assertThat(client.next()).isEqualTo("text:héllo ✓");
		client.sendBinary(new byte[] { 0, 1, 2, (byte) 0xff });
		assertThat(client.next()).isEqualTo("binary:[0, 1, 2, -1]");
		client.sendClose();
		assertThat(client.next()).isEqualTo("close:1000");
	}

	@Test
	void hooksEndpointEchoesToo() throws Exception {
		Client client = Client.connect(this.port, "/hooks");
		client.sendText("hello hooks");
		assertThat(client.next()).isEqualTo("text:hello hooks");
		client.sendClose();
		assertThat(client.next()).isEqualTo("close:1000");
	}

	@Test
	void chatBroadcastsToTheSendersRoomOnly() throws Exception {
		Client alice = Client.connect(this.port, "/chat?room=red&nick=alice");
		assertThat(alice.next()).isEqualTo("text:* alice joined red (here: alice)");
		Client bob = Client.connect(this.port, "/chat?room=red&nick=bob");
		assertThat(alice.next()).isEqualTo("text:* bob joined red (here: alice, bob)");
		assertThat(bob.next()).isEqualTo("text:* bob joined red (here: alice, bob)");
		// A nick that is not a short word is replaced: it would show as markup or fake a
		// line.
		Client carol = Client.connect(this.port, "/chat?room=blue&nick=%3Cb%3E");
		assertThat(carol.next()).matches("text:\\* guest-\\d+ joined blue \\(here: guest-\\d+\\)");

		alice.sendText("hello, red ✓");
		assertThat(alice.next()).isEqualTo("text:alice: hello, red ✓");
		assertThat(bob.next()).isEqualTo("text:alice: hello, red ✓");
		carol.sendText("anyone in blue?");
		assertThat(carol.next()).matches("text:guest-\\d+: anyone in blue\\?");
		bob.sendClose();
		assertThat(bob.next()).isEqualTo("close:1000");
		assertThat(alice.next()).isEqualTo("text:* bob left");
		// Nothing from blue reached red, nor the reverse.
		alice.sendClose();
		assertThat(alice.next()).isEqualTo("close:1000");
		carol.sendClose();
		assertThat(carol.next()).isEqualTo("close:1000");
	}

	@Test
	void tickerBroadcastsFromAScheduledTask() throws Exception {
		Client ticker = Client.connect(this.port, "/ticker");
		assertThat(ticker.next()).matches("text:tick \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ chat \\d+");
		assertThat(ticker.next()).startsWith("text:tick ");
		ticker.sendClose();
		// a tick may come before the close
		assertThat(ticker.next()).matches("text:tick .*|close:1000");
	}

	@Test
	void actuatorExposesWhatThePanelReadsAndNothingElse() throws Exception {
		HttpResponse<String> endpoints = get("/actuator/websocket");
		assertThat(endpoints.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<String>read(endpoints.body(), "$.endpoints.chatProtocol.path")).isEqualTo("/chat");
		assertThat(JsonPath.<Integer>read(endpoints.body(), "$.endpoints.chatProtocol.connections")).isZero();
		HttpResponse<String> received = get(
				"/actuator/metrics/autobahn.websocket.messages.received?tag=endpoint:chatProtocol");
		assertThat(received.statusCode()).isEqualTo(200);
		assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
		assertThat(get("/actuator/heapdump").statusCode()).isEqualTo(404);
		// The endpoint's write operations (closing connections) stay off.
		HttpResponse<String> close = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/websocket/chatProtocol"))
					.timeout(TIMEOUT)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{}"))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(close.statusCode()).isIn(403, 404, 405);
	}

	@Test
	void greetingEndpointGreetsAndEchoesOnItsOwnPort() throws Exception {
		assertThat(this.greetingPort).isNotEqualTo(this.port);
		Client client = Client.connect(this.greetingPort, "/greeting");
		assertThat(client.next()).isEqualTo("text:Hello from a port of my own");
		client.sendText("hello greeting");
		assertThat(client.next()).isEqualTo("text:hello greeting");
		client.sendClose();
		assertThat(client.next()).isEqualTo("close:1000");
		// Only the greeting endpoint is served there, and it is served only there.
		assertThat(get(this.greetingPort, "/echo").statusCode()).isEqualTo(404);
		assertThat(get(this.port, "/greeting").statusCode()).isEqualTo(404);
	}

	@Test
	void runsOnPort9000ByDefault() throws Exception {
		// RANDOM_PORT overrides server.port in this test, so read the configuration
		// itself.
		List<PropertySource<?>> config = new YamlPropertySourceLoader().load("application.yml",
				new ClassPathResource("application.yml"));
		assertThat(config).singleElement().satisfies((source) -> {
			assertThat(String.valueOf(source.getProperty("server.port"))).isEqualTo("9000");
			assertThat(String.valueOf(source.getProperty("autobahn.websocket.endpoints.greeting.port")))
				.isEqualTo("9001");
		});
	}

}
