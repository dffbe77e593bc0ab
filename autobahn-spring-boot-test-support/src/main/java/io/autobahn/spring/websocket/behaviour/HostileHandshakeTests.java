package io.autobahn.spring.websocket.behaviour;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.Conformance;
import io.autobahn.spring.websocket.test.ConformanceReport;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.LogCapture;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and malformed opening handshakes, each sent on the application's port and on a
 * dedicated port (Reactor Netty in every application): each gets its status, the same on
 * every stack and port where the starter answers it, with a body that names no exception,
 * and makes the server log at most one short line, never an ERROR or a stack trace. Three
 * tables: the origin policy and the path rule, the handshake headers, and requests so
 * malformed that the container answers them before the starter sees them (there the
 * status is the container's, listed per stack).
 * <p>
 * The one stack trace a client can cause is Tomcat's own: each of its request processors
 * logs its first HTTP parsing error at INFO with the exception, the next ones at DEBUG
 * (SECURITY.md says how to silence it); the log assertion allows exactly that event.
 * Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = HostileHandshakeTests.HostileApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "spring.mvc.servlet.load-on-startup=1",
				"autobahn.websocket.allowed-origins=https://*.example.com",
				"autobahn.websocket.endpoints.dedicated.port=0" })
class HostileHandshakeTests {

	/** The most a refused request may make the server log, per request. */
	static final int MAX_LOG_BYTES = 320;

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	int mainPort;

	@Value("${local.autobahn.websocket.dedicated.port}")
	int dedicatedPort;

	@Autowired
	ApplicationContext context;

	@ParameterizedTest(name = "{0} on the {1} port")
	@MethodSource("originAndPathCases")
	@Conformance("RFC 6455 4.2.1, 10.2; RFC 6454 5; RFC 9112 3.2")
	void originAndPathRuleAnswerAlikeOnEveryStackAndPort(String what, Port port, Request request) throws Exception {
		assertAnswered(port, request);
	}

	@ParameterizedTest(name = "{0} on the {1} port")
	@MethodSource("badHandshakeCases")
	@Conformance("RFC 6455 4.2.1, 4.2.2")
	void badHandshakeGetsItsStatusAndAtMostOneShortLogLine(String what, Port port, Request request) throws Exception {
		assertAnswered(port, request);
	}

	@ParameterizedTest(name = "{0} on the {1} port")
	@MethodSource("malformedHttpCases")
	@Conformance("RFC 9112 2.2, 3; RFC 6585 5")
	void malformedHttpIsAnsweredWithoutAStackTrace(String what, Port port, Request request) throws Exception {
		assertAnswered(port, request);
	}

	static Stream<Arguments> originAndPathCases() {
		return forEachPort(Request.handshake("the endpoint's path", 101),
				Request.handshake("the path with a query", 101).target((path) -> path + "?a=b%20c"),
				Request.handshake("a percent-encoded letter", 404)
					.target((path) -> "/%" + hex(path.charAt(1)) + path.substring(2)),
				Request.handshake("a ;parameter", 404).target((path) -> path + ";x=1"),
				Request.handshake("a trailing slash", 404).target((path) -> path + "/"),
				Request.handshake("a doubled slash", 404).target((path) -> "/" + path).container("Jetty", 400),
				Request.handshake("a dot segment", 404).target((path) -> "/x/.." + path),
				Request.handshake("the path in upper case", 404).target((path) -> path.toUpperCase(Locale.ROOT)),
				Request.handshake("a fragment", 400).target((path) -> path + "#f"),
				Request.handshake("the same origin", 101).with("Origin: http://127.0.0.1:{port}"),
				Request.handshake("the same origin, host in another case", 101)
					.with("Host: LOCALHOST:{port}", "Origin: http://localhost:{port}"),
				Request.handshake("an origin of another scheme", 403).with("Origin: https://127.0.0.1:{port}"),
				Request.handshake("an origin of another port", 403).with("Origin: http://127.0.0.1:1"),
				Request.handshake("a foreign origin", 403).with("Origin: http://evil.example"),
				Request.handshake("an origin the pattern allows", 101).with("Origin: https://app.example.com"),
				Request.handshake("the pattern's host on http", 403).with("Origin: http://app.example.com"),
				Request.handshake("the pattern's host on another port", 403)
					.with("Origin: https://app.example.com:8443"),
				Request.handshake("a host that ends like the pattern's", 403)
					.with("Origin: https://example.com.evil.test"),
				Request.handshake("a malformed origin with the server's port", 403)
					.with("Origin: http://127.0.0.1:{port}.evil.example"),
				Request.handshake("two origins in one header", 403).with("Origin: a, b"),
				Request.handshake("an origin with a path", 403).with("Origin: http://127.0.0.1:{port}/"),
				Request.handshake("two Origin headers, the same origin first", 403)
					.with("Origin: http://127.0.0.1:{port}", "+Origin: http://evil.example"),
				Request.handshake("the opaque origin null", 403).with("Origin: null"));
	}

	static Stream<Arguments> badHandshakeCases() {
		return forEachPort(
				Request.handshake("an extension offer without a name", 400).with("Sec-WebSocket-Extensions: ;"),
				Request.handshake("permessage-deflate and an offer without a name", 400)
					.with("Sec-WebSocket-Extensions: permessage-deflate, ;"),
				Request.handshake("an extension parameter without a name", 400)
					.with("Sec-WebSocket-Extensions: permessage-deflate; =15"),
				Request.handshake("an unknown extension, quoted parameter", 101)
					.with("Sec-WebSocket-Extensions: x-unknown; a=\"b\", , permessage-deflate"),
				Request.handshake("an HTTP/1.0 upgrade", 400).protocol("HTTP/1.0"),
				Request.handshake("a plain GET", 400)
					.with("-Upgrade", "-Connection", "-Sec-WebSocket-Key", "-Sec-WebSocket-Version"),
				Request.handshake("no Sec-WebSocket-Key", 400).with("-Sec-WebSocket-Key"),
				Request.handshake("an empty Sec-WebSocket-Key", 400).with("Sec-WebSocket-Key: "),
				Request.handshake("two Sec-WebSocket-Key headers", 400)
					.with("+Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA=="),
				Request.handshake("a 4,000-byte Sec-WebSocket-Key", 400).with("Sec-WebSocket-Key: " + "A".repeat(4000)),
				Request.handshake("Sec-WebSocket-Version 8", 426).with("Sec-WebSocket-Version: 8"),
				Request.handshake("no Sec-WebSocket-Version", 426).with("-Sec-WebSocket-Version"),
				Request.handshake("an empty Sec-WebSocket-Version", 426).with("Sec-WebSocket-Version: "),
				Request.handshake("two Sec-WebSocket-Version headers", 426).with("+Sec-WebSocket-Version: 8"),
				Request.handshake("Upgrade: h2c", 400).with("Upgrade: h2c"),
				Request.handshake("two Upgrade headers", 400).with("+Upgrade: h2c"),
				Request.handshake("Connection without upgrade", 400).with("Connection: keep-alive"),
				Request.handshake("Connection: keep-alive, UPGRADE", 101).with("Connection: keep-alive, UPGRADE"),
				Request.handshake("no Host", 400).with("-Host"), Request.handshake("an empty Host", 400).with("Host: "),
				Request.handshake("two Host headers", 400).with("+Host: 127.0.0.1:{port}"),
				Request.handshake("a POST", 405).method("POST").with("Content-Length: 0"),
				Request.handshake("a duplicated subprotocol", 400).with("Sec-WebSocket-Protocol: chat, chat"),
				Request.handshake("a subprotocol with a space", 400).with("Sec-WebSocket-Protocol: a b"),
				Request.handshake("an empty Sec-WebSocket-Protocol", 101).with("Sec-WebSocket-Protocol: "));
	}

	static Stream<Arguments> malformedHttpCases() {
		return forEachPort(Request.handshake("10,000 headers", 431).extraHeaders(10_000).container("Tomcat", 400),
				Request.handshake("a 20,000-byte request-target", 414)
					.target((path) -> path + "?" + "a".repeat(20_000))
					.container("Tomcat", 400),
				Request.handshake("a bad Host", 400).with("Host: a b:x"),
				Request.handshake("a CONNECT", 405).method("CONNECT").container("Tomcat", 501).container("Jetty", 400),
				Request.raw("bytes that are not HTTP", 400, "\u0001\u0002\u0003 hello\r\n\r\n"),
				Request.raw("a method with a bad character", 400, "G@T / HTTP/1.1\r\nHost: x\r\n\r\n"));
	}

	private static Stream<Arguments> forEachPort(Request... requests) {
		return Stream.of(Port.values())
			.flatMap((port) -> Arrays.stream(requests).map((request) -> Arguments.of(request.name(), port, request)));
	}

	private void assertAnswered(Port port, Request request) throws Exception {
		int serverPort = (port == Port.MAIN) ? this.mainPort : this.dedicatedPort;
		String stack = (port == Port.MAIN) ? mainStack() : "Netty";
		int expected = request.containerStatus().getOrDefault(stack, request.status());
		try (LogCapture log = LogCapture.start()) {
			RawWebSocket.HandshakeResponse response = exchange(serverPort, request.bytes(serverPort, port.path));
			log.awaitQuiet(Duration.ofMillis(200), Duration.ofSeconds(3));
			ConformanceReport
				.observe(response.status() + (log.events().isEmpty() ? "" : ", logged " + log.bytes() + " B"));
			assertThat(response.status()).as("status").isEqualTo(expected);
			assertThat(response.body()).as("response body").doesNotContain("Exception", "\tat ", "java.");
			assertLoggedAtMostOneShortLine(log);
		}
	}

	/**
	 * Answer the server's response; after a {@code 101}, close the connection cleanly, so
	 * that it leaves nothing behind in the log either.
	 */
	private static RawWebSocket.HandshakeResponse exchange(int port, byte[] request) throws IOException {
		try (RawWebSocket raw = RawWebSocket.send(port, request)) {
			if (raw.handshake().status() == 101) {
				raw.sendClose(1000, "");
				raw.awaitEndOfStream(TIMEOUT);
			}
			return raw.handshake();
		}
	}

	private static void assertLoggedAtMostOneShortLine(LogCapture log) {
		List<ILoggingEvent> events = new ArrayList<>(log.events());
		events.removeIf(HostileHandshakeTests::isTomcatsFirstParsingError);
		assertThat(events).as("log events other than Tomcat's own first parsing error:%n%s", log.text())
			.hasSizeLessThanOrEqualTo(1)
			.allSatisfy((event) -> {
				assertThat(event.getLevel().isGreaterOrEqual(Level.ERROR)).as("an ERROR").isFalse();
				assertThat(event.getThrowableProxy()).as("a stack trace").isNull();
				assertThat(event.getFormattedMessage().getBytes(StandardCharsets.UTF_8).length).as("bytes logged")
					.isLessThanOrEqualTo(MAX_LOG_BYTES);
			});
	}

	/**
	 * Tomcat's {@code Http11Processor} logs the first parsing error of each processor at
	 * INFO with its stack trace and a note that further ones go to DEBUG.
	 */
	private static boolean isTomcatsFirstParsingError(ILoggingEvent event) {
		return event.getLoggerName().equals("org.apache.coyote.http11.Http11Processor")
				&& event.getLevel().equals(Level.INFO)
				&& event.getFormattedMessage().contains("further occurrences of HTTP request parsing errors");
	}

	private String mainStack() {
		String server = ((WebServerApplicationContext) this.context).getWebServer().getClass().getSimpleName();
		return Stream.of("Tomcat", "Jetty", "Netty").filter(server::contains).findFirst().orElse(server);
	}

	private static String hex(char c) {
		return Integer.toHexString(c).toUpperCase(Locale.ROOT);
	}

	/** The two ports of the application and the path of the endpoint on each. */
	enum Port {

		MAIN("/echo"), DEDICATED("/dedicated");

		final String path;

		Port(String path) {
			this.path = path;
		}

		@Override
		public String toString() {
			return (this == MAIN) ? "application's" : "dedicated";
		}

	}

	/**
	 * A request and the status it must get: a valid opening handshake of the endpoint's
	 * path changed as described, or raw bytes. {@code containerStatus} holds the status
	 * of the stacks whose container answers it on the application's port before the
	 * starter sees it, where that differs.
	 */
	record Request(String name, int status, Map<String, Integer> containerStatus, String method,
			UnaryOperator<String> target, String protocol, List<String> edits, int extraHeaders, String raw) {

		static Request handshake(String name, int status) {
			return new Request(name, status, Map.of(), "GET", UnaryOperator.identity(), "HTTP/1.1", List.of(), 0, "");
		}

		static Request raw(String name, int status, String bytes) {
			return new Request(name, status, Map.of(), "", UnaryOperator.identity(), "", List.of(), 0, bytes);
		}

		Request container(String stack, int containerStatus) {
			Map<String, Integer> statuses = new HashMap<>(this.containerStatus);
			statuses.put(stack, containerStatus);
			return new Request(this.name, this.status, Map.copyOf(statuses), this.method, this.target, this.protocol,
					this.edits, this.extraHeaders, this.raw);
		}

		Request method(String method) {
			return new Request(this.name, this.status, this.containerStatus, method, this.target, this.protocol,
					this.edits, this.extraHeaders, this.raw);
		}

		Request target(UnaryOperator<String> target) {
			return new Request(this.name, this.status, this.containerStatus, this.method, target, this.protocol,
					this.edits, this.extraHeaders, this.raw);
		}

		Request protocol(String protocol) {
			return new Request(this.name, this.status, this.containerStatus, this.method, this.target, protocol,
					this.edits, this.extraHeaders, this.raw);
		}

		/**
		 * Change the handshake's headers: {@code "-Name"} removes a header,
		 * {@code "Name: value"} sets it (or adds it), {@code "+Name: value"} adds another
		 * line of it; {@code {port}} in a value is the server's port.
		 */
		Request with(String... edits) {
			return new Request(this.name, this.status, this.containerStatus, this.method, this.target, this.protocol,
					List.of(edits), this.extraHeaders, this.raw);
		}

		/** Add as many more header lines ({@code X-Header-<n>: v}). */
		Request extraHeaders(int count) {
			return new Request(this.name, this.status, this.containerStatus, this.method, this.target, this.protocol,
					this.edits, count, this.raw);
		}

		byte[] bytes(int port, String path) {
			if (!this.raw.isEmpty()) {
				return this.raw.getBytes(StandardCharsets.ISO_8859_1);
			}
			List<String[]> headers = new ArrayList<>();
			RawWebSocket.handshakeHeaders(port).forEach((name, value) -> headers.add(new String[] { name, value }));
			for (String edit : this.edits) {
				String line = edit.replace("{port}", String.valueOf(port));
				if (line.startsWith("-")) {
					headers.removeIf((header) -> header[0].equalsIgnoreCase(line.substring(1)));
					continue;
				}
				boolean add = line.startsWith("+");
				int colon = line.indexOf(':');
				String name = line.substring(add ? 1 : 0, colon);
				String value = line.substring(colon + 1).trim();
				String[] existing = headers.stream()
					.filter((header) -> header[0].equalsIgnoreCase(name))
					.findFirst()
					.orElse(null);
				if (add || existing == null) {
					headers.add(new String[] { name, value });
				}
				else {
					existing[1] = value;
				}
			}
			StringBuilder request = new StringBuilder(this.method).append(' ')
				.append(this.target.apply(path))
				.append(' ')
				.append(this.protocol)
				.append("\r\n");
			headers.forEach((header) -> request.append(header[0]).append(": ").append(header[1]).append("\r\n"));
			for (int i = 0; i < this.extraHeaders; i++) {
				request.append("X-Header-").append(i).append(": v\r\n");
			}
			return request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, MainEndpoint.class, DedicatedEndpoint.class })
	static class HostileApplication {

	}

	@WebSocketEndpoint(path = "/echo", name = "main")
	static class MainEndpoint extends RecordingProtocol {

		MainEndpoint(HookRecorder recorder) {
			super(recorder);
		}

	}

	@WebSocketEndpoint(path = "/dedicated", name = "dedicated")
	static class DedicatedEndpoint extends RecordingProtocol {

		DedicatedEndpoint(HookRecorder recorder) {
			super(recorder);
		}

	}

}
