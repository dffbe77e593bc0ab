package io.autobahn.spring.websocket.behaviour;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.test.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code autobahn.websocket.endpoints.<name>.path} moves an endpoint: it upgrades on the
 * configured path and no longer on the annotation's. The name is the bean name, in either
 * spelling ({@code echoServerProtocol} or {@code echo-server-protocol}), or the
 * annotation's {@code name}. Subclassed per container.
 */
@SpringBootTest(classes = EndpointPathTests.PathApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "autobahn.websocket.endpoints.echoServerProtocol.path=/other",
				"autobahn.websocket.endpoints.chat-server-protocol.path=/chat-moved",
				"autobahn.websocket.endpoints.custom.path=/y" })
class EndpointPathTests {

	@LocalServerPort
	int port;

	@Test
	void pathPropertyWithTheCamelCaseBeanNameMovesTheEndpoint() throws Exception {
		assertThat(status("/other")).isEqualTo(101);
		assertThat(status("/echo")).isNotEqualTo(101);
	}

	@Test
	void pathPropertyWithTheKebabCaseBeanNameMovesTheEndpoint() throws Exception {
		assertThat(status("/chat-moved")).isEqualTo(101);
		assertThat(status("/chat")).isNotEqualTo(101);
	}

	@Test
	void pathPropertyUnderTheAnnotationsNameMovesTheEndpoint() throws Exception {
		assertThat(status("/y")).isEqualTo(101);
		assertThat(status("/x")).isNotEqualTo(101);
	}

	@Test
	void endpointWithoutPathPropertyStaysOnItsAnnotationsPath() throws Exception {
		assertThat(status("/stays")).isEqualTo(101);
	}

	private int status(String path) throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, path)) {
			return raw.handshake().status();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ CustomNamedProtocol.class, StayingProtocol.class })
	static class PathApplication {

		@Bean
		EchoProtocol echoServerProtocol() {
			return new EchoProtocol();
		}

		@Bean
		ChatProtocol chatServerProtocol() {
			return new ChatProtocol();
		}

	}

	@WebSocketEndpoint("/echo")
	static class EchoProtocol extends WebSocketServerProtocol {

	}

	@WebSocketEndpoint("/chat")
	static class ChatProtocol extends WebSocketServerProtocol {

	}

	@WebSocketEndpoint(value = "/x", name = "custom")
	static class CustomNamedProtocol extends WebSocketServerProtocol {

	}

	@WebSocketEndpoint("/stays")
	static class StayingProtocol extends WebSocketServerProtocol {

	}

}
