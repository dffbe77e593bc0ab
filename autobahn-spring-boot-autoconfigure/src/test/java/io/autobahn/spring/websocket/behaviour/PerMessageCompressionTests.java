package io.autobahn.spring.websocket.behaviour;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.test.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code per-message-compression}: by default a {@code permessage-deflate} offer is
 * accepted on the {@code 101}; an endpoint with {@code per-message-compression=false}
 * answers the same offer without {@code Sec-WebSocket-Extensions}. Stack-neutral:
 * subclassed per container.
 */
@SpringBootTest(classes = PerMessageCompressionTests.CompressionApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "autobahn.websocket.endpoints.uncompressed.per-message-compression=false")
class PerMessageCompressionTests {

	private static final Map<String, String> DEFLATE_OFFER = Map.of("Sec-WebSocket-Extensions",
			"permessage-deflate; client_max_window_bits");

	@LocalServerPort
	int port;

	@Test
	void permessageDeflateOfferIsAcceptedByDefault() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/compressed", DEFLATE_OFFER)) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			assertThat(raw.handshake().header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
		}
	}

	@Test
	void permessageDeflateOfferIsDeclinedWhenCompressionIsOff() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/uncompressed", DEFLATE_OFFER)) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			assertThat(raw.handshake().header("Sec-WebSocket-Extensions")).isNull();
		}
	}

	@Test
	void noOfferNoExtension() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/compressed")) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			assertThat(raw.handshake().header("Sec-WebSocket-Extensions")).isNull();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ CompressedProtocol.class, UncompressedProtocol.class })
	static class CompressionApplication {

	}

	@WebSocketEndpoint("/compressed")
	static class CompressedProtocol extends WebSocketServerProtocol {

	}

	@WebSocketEndpoint(path = "/uncompressed", name = "uncompressed")
	static class UncompressedProtocol extends WebSocketServerProtocol {

	}

}
