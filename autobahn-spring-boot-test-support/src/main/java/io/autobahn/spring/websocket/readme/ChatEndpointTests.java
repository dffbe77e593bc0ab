package io.autobahn.spring.websocket.readme;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.autobahn.spring.websocket.test.HandshakeFailedException;
import io.autobahn.spring.websocket.test.TestWebSocket;
import io.autobahn.spring.websocket.test.WebSocketTestClient;
import io.autobahn.spring.websocket.test.autoconfigure.AutoConfigureWebSocketTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebSocketTestClient
class ChatEndpointTests {

	@Autowired
	WebSocketTestClient webSocket;

	@Test
	void messagesComeBackUnderTheNick() {
		try (TestWebSocket alice = this.webSocket.endpoint("/chat")
			.param("nick", "alice")
			.subprotocols("chat.v1")
			.connect()) {
			alice.sendText("hi");
			assertThat(alice.nextMessage()).isText().hasText("alice: hi");
			alice.sendClose(1000, "bye");
			assertThat(alice.awaitClose()).hasCode(1000);
		}
	}

	@Test
	void aClientWithoutANickIsRefused() {
		assertThatExceptionOfType(HandshakeFailedException.class).isThrownBy(() -> this.webSocket.connect("/chat"))
			.satisfies((refused) -> assertThat(refused.getStatus()).isEqualTo(400));
	}

}
