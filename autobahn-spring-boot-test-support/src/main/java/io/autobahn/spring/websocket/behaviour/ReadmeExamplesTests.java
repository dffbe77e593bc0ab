package io.autobahn.spring.websocket.behaviour;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.readme.ChatProtocol;
import io.autobahn.spring.websocket.readme.ChatRooms;
import io.autobahn.spring.websocket.readme.GreetingConfiguration;
import io.autobahn.spring.websocket.test.HandshakeFailedException;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.TestWebSocket;
import io.autobahn.spring.websocket.test.WebSocketTestClient;
import io.autobahn.spring.websocket.test.autoconfigure.AutoConfigureWebSocketTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The README's examples do what the README says (its code is these classes, which
 * {@code ReadmeCodeTests} checks): two chat clients see each other's messages under their
 * nick, the {@code chat.v1} subprotocol and the {@code X-Chat-Server} header are in the
 * {@code 101}, a client without a nick gets {@code 400}; and the endpoint declared with a
 * {@code @Bean} method greets every connection with the configured text and echoes. The
 * clients are the users' test kit ({@link WebSocketTestClient}). Stack-neutral:
 * subclassed per container.
 */
@SpringBootTest(classes = ReadmeExamplesTests.ReadmeApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "greeting.text=welcome")
@AutoConfigureWebSocketTestClient
class ReadmeExamplesTests extends AbstractBehaviourTests {

	@Autowired
	WebSocketTestClient webSocket;

	@Test
	void twoChatClientsSeeEachOthersMessages() {
		try (TestWebSocket alice = chatClient("alice")) {
			assertThat(alice.getSubprotocol()).isEqualTo("chat.v1");
			// Each client's own message coming back shows that it has joined.
			alice.sendText("hi");
			assertThat(alice.nextMessage()).hasText("alice: hi");
			try (TestWebSocket bob = chatClient("bob")) {
				bob.sendText("hello alice");
				assertThat(bob.nextMessage()).hasText("bob: hello alice");
				assertThat(alice.nextMessage()).hasText("bob: hello alice");
				alice.sendText("hello bob");
				assertThat(alice.nextMessage()).hasText("alice: hello bob");
				assertThat(bob.nextMessage()).hasText("alice: hello bob");
				bob.sendClose(1000, "");
				assertThat(bob.awaitClose()).hasCode(1000);
			}
			alice.sendText("alone");
			assertThat(alice.nextMessage()).hasText("alice: alone");
			alice.sendClose(1000, "");
			assertThat(alice.awaitClose()).hasCode(1000);
		}
	}

	@Test
	void chatHandshakeCarriesTheSubprotocolAndHeaderAndNeedsANick() {
		try (TestWebSocket accepted = chatClient("carol")) {
			assertThat(accepted.getSubprotocol()).isEqualTo("chat.v1");
			assertThat(accepted.handshake().header("X-Chat-Server")).isEqualTo("demo");
		}
		assertThatExceptionOfType(HandshakeFailedException.class)
			.isThrownBy(() -> this.webSocket.endpoint("/chat").subprotocols("chat.v1").connect())
			.satisfies((denied) -> {
				assertThat(denied.getStatus()).isEqualTo(400);
				assertThat(denied.getResponse().body()).isEqualTo("nick missing");
			});
	}

	@Test
	void beanMethodEndpointGreetsEveryConnectionFromItsOwnInstance() {
		for (String message : List.of("one", "two")) {
			try (TestWebSocket client = this.webSocket.connect("/greeting")) {
				assertThat(client.nextMessage()).hasText("welcome");
				client.sendText(message);
				assertThat(client.nextMessage()).hasText(message);
				client.sendClose(1000, "");
				assertThat(client.awaitClose()).hasCode(1000);
			}
		}
	}

	private TestWebSocket chatClient(String nick) {
		return this.webSocket.endpoint("/chat").param("nick", nick).subprotocols("chat.v1").connect();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, ChatRooms.class, ChatProtocol.class, GreetingConfiguration.class })
	static class ReadmeApplication {

	}

}
