package io.autobahn.spring.websocket.test.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.autobahn.spring.websocket.test.WebSocketTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link AutoConfigureWebSocketTestClient} on a {@code @SpringBootTest} makes a
 * {@link WebSocketTestClient} injectable; without a server, connecting says what is
 * missing.
 */
@SpringBootTest(classes = AutoConfigureWebSocketTestClientTests.EmptyApplication.class,
		webEnvironment = WebEnvironment.NONE)
@AutoConfigureWebSocketTestClient
class AutoConfigureWebSocketTestClientTests {

	@Autowired
	WebSocketTestClient webSocket;

	@Test
	void clientIsInjectedAndSaysThatNoServerListens() {
		assertThat(this.webSocket).isNotNull();
		assertThatIllegalStateException().isThrownBy(() -> this.webSocket.connect("/echo"))
			.withMessageContaining("local.server.port");
	}

	@SpringBootConfiguration
	static class EmptyApplication {

	}

}
