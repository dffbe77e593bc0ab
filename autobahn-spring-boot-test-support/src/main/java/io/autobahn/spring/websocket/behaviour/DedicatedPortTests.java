package io.autobahn.spring.websocket.behaviour;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.server.DedicatedPortServerInitializedEvent;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Endpoints on a dedicated port: two endpoints share one port 0, a third stays on the
 * application's port next to a controller and a static file. The bound port is published
 * as a property and an event; both endpoints echo on it; the dedicated port serves
 * nothing else (404) and the main port no longer serves the moved endpoints; closing the
 * context closes dedicated-port connections with 1001. Stack-neutral: subclassed per
 * container.
 */
@SpringBootTest(classes = DedicatedPortTests.DedicatedPortApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "server.address=127.0.0.1",
				"autobahn.websocket.endpoints.echo.port=0", "autobahn.websocket.endpoints.chat.port=0" })
class DedicatedPortTests {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String STATIC_FILE = "/dedicated-port-check.txt";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int mainPort;

	@Value("${local.autobahn.websocket.echo.port}")
	int echoPort;

	@Value("${local.autobahn.websocket.chat.port}")
	int chatPort;

	@Autowired
	HookRecorder recorder;

	@Autowired
	PortEvents portEvents;

	@BeforeEach
	void clearRecorder() {
		this.recorder.clear();
	}

	@Test
	void boundPortIsPublishedAsPropertyAndEventAndSharedByTheEndpointsThatGaveIt() {
		assertThat(this.echoPort).isPositive().isNotEqualTo(this.mainPort);
		assertThat(this.chatPort).isEqualTo(this.echoPort);
		assertThat(this.portEvents.events).singleElement().satisfies((event) -> {
			assertThat(event.getServer().getPort()).isEqualTo(this.echoPort);
			assertThat(event.getServer().getEndpointNames()).containsExactlyInAnyOrder("echo", "chat");
			assertThat(event.getServer().isSecure()).isFalse();
		});
	}

	@Test
	void bothEndpointsEchoOnTheDedicatedPort() throws Exception {
		for (String name : List.of("echo", "chat")) {
			JdkClient client = JdkClient.connect(this.echoPort, "/" + name);
			client.sendText("hello");
			assertThat(client.next().text()).isEqualTo(name + ":hello");
			client.sendClose(1000, "bye");
			assertThat(this.recorder.await("onClose", TIMEOUT).details()).containsExactly(name, true, 1000, "bye");
		}
	}

	@Test
	void mainPortEndpointStillServedOnTheMainPort() throws Exception {
		JdkClient client = JdkClient.connect(this.mainPort, "/main");
		client.sendText("hello");
		assertThat(client.next().text()).isEqualTo("main:hello");
		client.sendClose(1000, "bye");
		this.recorder.await("onClose", TIMEOUT);
	}

	@Test
	void dedicatedPortServesNothingButItsEndpoints() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.echoPort, "/main")) {
			assertThat(raw.handshake().status()).isEqualTo(404);
		}
		assertThat(get(this.echoPort, STATIC_FILE).statusCode()).isEqualTo(404);
		assertThat(get(this.echoPort, "/hello").statusCode()).isEqualTo(404);
		assertThat(get(this.echoPort, "/").statusCode()).isEqualTo(404);
		assertThat(get(this.echoPort, "/echo/more").statusCode()).isEqualTo(404);
	}

	@Test
	void mainPortNoLongerServesTheEndpointsMovedToTheDedicatedPort() throws Exception {
		for (String path : List.of("/echo", "/chat")) {
			try (RawWebSocket raw = RawWebSocket.connect(this.mainPort, path)) {
				assertThat(raw.handshake().status()).isNotEqualTo(101);
			}
		}
		HttpResponse<String> file = get(this.mainPort, STATIC_FILE);
		assertThat(file.statusCode()).isEqualTo(200);
		assertThat(file.body()).contains("main server only");
		assertThat(get(this.mainPort, "/hello").body()).isEqualTo("hello from the main port");
	}

	@Test
	void closingTheContextClosesDedicatedPortConnectionsWith1001() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(DedicatedPortApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"autobahn.websocket.endpoints.echo.port=0")
			.run();
		try {
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.autobahn.websocket.echo.port"));
			HookRecorder recorder = context.getBean(HookRecorder.class);
			JdkClient client = JdkClient.connect(port, "/echo");
			recorder.await("onOpen", TIMEOUT);
			context.close();
			List<HookRecorder.Event> closes = recorder.drain()
				.stream()
				.filter((event) -> event.hook().equals("onClose"))
				.toList();
			assertThat(closes).singleElement().satisfies((close) -> assertThat(close.detail(2)).isIn(1001, 1006));
			assertThat(client.awaitClose().closeCode()).isEqualTo(1001);
		}
		finally {
			context.close();
		}
	}

	private HttpResponse<String> get(int port, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(TIMEOUT)
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ EchoProtocol.class, ChatProtocol.class, MainProtocol.class, HelloController.class })
	static class DedicatedPortApplication {

		@Bean
		HookRecorder hookRecorder() {
			return new HookRecorder();
		}

		@Bean
		PortEvents portEvents() {
			return new PortEvents();
		}

	}

	static class PortEvents implements ApplicationListener<DedicatedPortServerInitializedEvent> {

		final List<DedicatedPortServerInitializedEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(DedicatedPortServerInitializedEvent event) {
			this.events.add(event);
		}

	}

	@RestController
	static class HelloController {

		@GetMapping("/hello")
		String hello() {
			return "hello from the main port";
		}

	}

	/**
	 * Echoes each text message prefixed with its endpoint's name, and records its hooks.
	 */
	abstract static class NamedEchoProtocol extends WebSocketServerProtocol {

		private final HookRecorder recorder;

		private final String name;

		NamedEchoProtocol(HookRecorder recorder, String name) {
			this.recorder = recorder;
			this.name = name;
		}

		@Override
		public void onOpen() {
			this.recorder.record("onOpen", this.name);
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			sendMessage(this.name + ":" + new String(payload, java.nio.charset.StandardCharsets.UTF_8));
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			this.recorder.recordNullable("onClose", this.name, wasClean, code, reason);
		}

	}

	@WebSocketEndpoint(path = "/echo", name = "echo")
	static class EchoProtocol extends NamedEchoProtocol {

		EchoProtocol(HookRecorder recorder) {
			super(recorder, "echo");
		}

	}

	@WebSocketEndpoint(path = "/chat", name = "chat")
	static class ChatProtocol extends NamedEchoProtocol {

		ChatProtocol(HookRecorder recorder) {
			super(recorder, "chat");
		}

	}

	@WebSocketEndpoint(path = "/main", name = "main")
	static class MainProtocol extends NamedEchoProtocol {

		MainProtocol(HookRecorder recorder) {
			super(recorder, "main");
		}

	}

}
