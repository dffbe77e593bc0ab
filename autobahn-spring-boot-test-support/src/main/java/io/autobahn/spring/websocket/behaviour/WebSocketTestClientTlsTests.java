package io.autobahn.spring.websocket.behaviour;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.BroadcastResult;
import io.autobahn.spring.websocket.WebSocketConnections;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.TestWebSocket;
import io.autobahn.spring.websocket.test.WebSocketTestClient;
import io.autobahn.spring.websocket.test.autoconfigure.AutoConfigureWebSocketTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The users' test kit on an application whose own port serves TLS
 * ({@code server.ssl.bundle}): the injected {@link WebSocketTestClient} connects over
 * {@code wss}, trusting the server's bundle. Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = WebSocketTestClientTlsTests.TlsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "server.ssl.bundle=ws-tls",
				"spring.ssl.bundle.jks.ws-tls.keystore.location=classpath:ws-tls.p12",
				"spring.ssl.bundle.jks.ws-tls.keystore.password=secret",
				"spring.ssl.bundle.jks.ws-tls.keystore.type=PKCS12" })
@AutoConfigureWebSocketTestClient
class WebSocketTestClientTlsTests {

	@Autowired
	WebSocketTestClient webSocket;

	@LocalServerPort
	int port;

	@Autowired
	WebSocketConnections connections;

	@Test
	void connectsOverWssToTheApplicationsTlsPort() {
		assertThat(this.webSocket.uriOf("kit")).isEqualTo(URI.create("wss://127.0.0.1:" + this.port + "/kit"));
		try (TestWebSocket client = this.webSocket.connect("kit")) {
			client.sendText("over tls");
			assertThat(client.nextMessage()).hasText("over tls");
			client.sendClose(1000, "bye");
			assertThat(client.awaitClose()).hasCode(1000);
		}
	}

	/**
	 * A prepared message, which Tomcat writes to the socket itself, goes through TLS too.
	 */
	@Test
	void aBroadcastReachesAClientOverWss() throws InterruptedException {
		try (TestWebSocket client = this.webSocket.connect("kit")) {
			Poll.until("the client is open", () -> this.connections.size() == 1, Duration.ofSeconds(10));
			assertThat(this.connections.broadcast("to everyone over tls")).isEqualTo(new BroadcastResult(1, 1, 0));
			assertThat(client.nextMessage()).hasText("to everyone over tls");
			client.sendClose(1000, "bye");
			assertThat(client.awaitClose()).hasCode(1000);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(WebSocketTestClientTests.KitProtocol.class)
	static class TlsApplication {

	}

}
