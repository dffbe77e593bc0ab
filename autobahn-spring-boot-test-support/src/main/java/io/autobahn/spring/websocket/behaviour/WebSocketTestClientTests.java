package io.autobahn.spring.websocket.behaviour;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.test.HandshakeFailedException;
import io.autobahn.spring.websocket.test.Message;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.TestWebSocket;
import io.autobahn.spring.websocket.test.WebSocketTestClient;
import io.autobahn.spring.websocket.test.autoconfigure.AutoConfigureWebSocketTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The users' test kit against a real application: the injected
 * {@link WebSocketTestClient} finds an endpoint by name or path on the application's
 * port, under the context path (the servlet's or WebFlux's base path), and on a dedicated
 * port over wss with the endpoint's SSL bundle trusted; the handshake's origin,
 * subprotocols, headers, parameters and permessage-deflate reach the server; messages,
 * fragments, pings and close codes go both ways; a refused handshake, a frame the server
 * refuses and a wait that times out fail as a test expects. Stack-neutral: subclassed per
 * container.
 */
@SpringBootTest(classes = WebSocketTestClientTests.KitApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "server.servlet.context-path=/app", "spring.webflux.base-path=/app",
				"spring.ssl.bundle.jks.ws-tls.keystore.location=classpath:ws-tls.p12",
				"spring.ssl.bundle.jks.ws-tls.keystore.password=secret",
				"spring.ssl.bundle.jks.ws-tls.keystore.type=PKCS12", "autobahn.websocket.endpoints.secure.port=0",
				"autobahn.websocket.endpoints.secure.ssl-bundle=ws-tls",
				"autobahn.websocket.endpoints.kit.subprotocols=kit.v1",
				"autobahn.websocket.endpoints.kit.allowed-origins=https://allowed.example" })
@AutoConfigureWebSocketTestClient
class WebSocketTestClientTests {

	@Autowired
	WebSocketTestClient webSocket;

	@LocalServerPort
	int port;

	@Value("${local.autobahn.websocket.secure.port}")
	int securePort;

	@Test
	void connectsByNameAndByPathUnderTheContextPath() {
		assertThat(this.webSocket.uriOf("kit")).isEqualTo(URI.create("ws://127.0.0.1:" + this.port + "/app/kit"));
		assertThat(this.webSocket.uriOf("/kit")).isEqualTo(this.webSocket.uriOf("kit"));
		for (String endpoint : new String[] { "kit", "/kit" }) {
			try (TestWebSocket client = this.webSocket.connect(endpoint)) {
				client.sendText("héllo ✓");
				assertThat(client.nextMessage()).isText().hasText("héllo ✓");
			}
		}
	}

	@Test
	void sendsAndReceivesBinaryAndFragmentedMessages() {
		byte[] data = new byte[100_000];
		for (int i = 0; i < data.length; i++) {
			data[i] = (byte) (i * 7);
		}
		try (TestWebSocket client = this.webSocket.connect("kit")) {
			client.sendBinary(data);
			assertThat(client.nextMessage()).isBinary().hasPayload(data);
			client.sendMessage("fragmented ✓".getBytes(StandardCharsets.UTF_8), false, 3);
			assertThat(client.nextMessage()).isText().hasText("fragmented ✓");
			// The server fragments its answer: the client joins the frames.
			client.sendText("fragment me");
			assertThat(client.nextMessage()).isEqualTo(Message.text("fragment me"));
		}
	}

	@Test
	void handshakeCarriesOriginSubprotocolsHeadersAndParameters() {
		try (TestWebSocket client = this.webSocket.endpoint("kit")
			.origin("https://allowed.example")
			.subprotocols("other.v1", "kit.v1")
			.header("X-Test", "header value")
			.param("name", "a b")
			.connect()) {
			assertThat(client.getSubprotocol()).isEqualTo("kit.v1");
			assertThat(client.handshake().header("X-Echo")).isEqualTo("header value|a b|https://allowed.example");
		}
	}

	@Test
	void refusedHandshakeFailsWithTheStatus() {
		assertThatExceptionOfType(HandshakeFailedException.class)
			.isThrownBy(() -> this.webSocket.endpoint("kit").origin("https://evil.example").connect())
			.satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(403));
		assertThatExceptionOfType(HandshakeFailedException.class)
			.isThrownBy(() -> this.webSocket.connect("/not-an-endpoint"))
			.satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(404));
	}

	@Test
	void unknownEndpointNameSaysWhichEndpointsThereAre() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.webSocket.connect("nope"))
			.withMessageContaining("kit (/kit)")
			.withMessageContaining("secure (/secure)");
	}

	@Test
	void permessageDeflateIsNegotiatedAndMessagesRoundTripCompressed() {
		String text = "compress me, compress me, compress me ".repeat(1000);
		try (TestWebSocket client = this.webSocket.endpoint("kit").perMessageDeflate().connect()) {
			assertThat(client.getExtensions()).containsExactly("permessage-deflate");
			client.sendText(text);
			assertThat(client.nextMessage()).hasText(text);
			client.sendText(text);
			assertThat(client.nextMessage()).hasText(text);
		}
	}

	@Test
	void closeCodeAndReasonOfTheServerAndOfTheClient() {
		try (TestWebSocket client = this.webSocket.connect("kit")) {
			client.sendText("close");
			assertThat(client.awaitClose()).isFrameReceived().hasCode(4000).hasReason("asked to close");
			assertThat(client.isOpen()).isFalse();
		}
		try (TestWebSocket client = this.webSocket.connect("kit")) {
			client.sendClose(1000, "bye");
			assertThat(client.awaitClose()).isFrameReceived().hasCode(1000);
		}
	}

	@Test
	void pingIsAnsweredAndRawFramesReachTheServer() {
		try (TestWebSocket client = this.webSocket.connect("kit")) {
			client.sendPing("are you there".getBytes(StandardCharsets.UTF_8));
			client.sendText("after the ping");
			assertThat(client.nextMessage()).hasText("after the ping");
			assertThat(client.pongs()).containsExactly("are you there".getBytes(StandardCharsets.UTF_8));
			// A fragmented ping breaks RFC 6455 5.5: every stack closes with 1002.
			client.sendFrame(false, 0, RawWebSocket.PING, new byte[] { 1 });
			assertThat(client.awaitClose()).hasCode(1002);
		}
	}

	@Test
	void waitsAreBoundedAndSayWhatHappened() {
		try (TestWebSocket client = this.webSocket.connect("kit")) {
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> client.nextMessage(Duration.ofMillis(200)))
				.withMessageContaining("No message");
			client.expectNoMessage(Duration.ofMillis(200));
			client.sendText("hi");
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> client.expectNoMessage(Duration.ofSeconds(10)))
				.withMessageContaining("text \"hi\"");
			client.sendText("close");
			assertThatExceptionOfType(AssertionError.class).isThrownBy(client::nextMessage)
				.withMessageContaining("close 4000");
		}
	}

	@Test
	void dedicatedPortWithAnSslBundleIsReachedOverWssTrustingTheBundle() {
		assertThat(this.webSocket.uriOf("secure"))
			.isEqualTo(URI.create("wss://127.0.0.1:" + this.securePort + "/secure"));
		try (TestWebSocket client = this.webSocket.connect("secure")) {
			client.sendText("over tls");
			assertThat(client.nextMessage()).hasText("over tls");
		}
		try (TestWebSocket client = this.webSocket.endpoint("/secure").trustAll().connect()) {
			client.sendBinary(new byte[] { 1, 2, 3 });
			assertThat(client.nextMessage()).hasPayload(new byte[] { 1, 2, 3 });
		}
	}

	@Test
	void wssToACertificateTheJdkDoesNotTrustFailsAndSaysHowToTrustIt() {
		URI secure = this.webSocket.uriOf("secure");
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> WebSocketTestClient.create().uri(secure).connect())
			.withMessageContaining("trustAll()");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ KitProtocol.class, SecureProtocol.class })
	static class KitApplication {

	}

	/**
	 * Echoes; answers the handshake with {@code X-Echo} (the {@code X-Test} header, the
	 * {@code name} parameter and the origin); closes with 4000 on {@code close}; sends
	 * {@code fragment me} back in 2-byte frames.
	 */
	@WebSocketEndpoint(path = "/kit", name = "kit")
	static class KitProtocol extends WebSocketServerProtocol {

		@Override
		public @Nullable ConnectionAccept onConnect(ConnectionRequest request) {
			String header = request.headers().getFirst("X-Test");
			return (header != null)
					? ConnectionAccept.headers(
							Map.of("X-Echo", header + "|" + request.params().getFirst("name") + "|" + request.origin()))
					: null;
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			String text = new String(payload, StandardCharsets.UTF_8);
			if (!isBinary && text.equals("close")) {
				sendClose(4000, "asked to close");
			}
			else if (!isBinary && text.equals("fragment me")) {
				sendMessage(payload, false, 2);
			}
			else {
				sendMessage(payload, isBinary);
			}
		}

	}

	@WebSocketEndpoint(path = "/secure", name = "secure")
	static class SecureProtocol extends WebSocketServerProtocol {

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			sendMessage(payload, isBinary);
		}

	}

}
