package io.autobahn.spring.websocket.behaviour;

import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.readme.ChatProtocol;
import io.autobahn.spring.websocket.readme.ChatRooms;
import io.autobahn.spring.websocket.readme.GreetingConfiguration;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's examples do what the README says (its code is these classes, which
 * {@code ReadmeCodeTests} checks): two chat clients see each other's messages under their
 * nick, the {@code chat.v1} subprotocol and the {@code X-Chat-Server} header are in the
 * {@code 101}, a client without a nick gets {@code 400}; and the endpoint declared with a
 * {@code @Bean} method greets every connection with the configured text and echoes.
 * Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = ReadmeExamplesTests.ReadmeApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "greeting.text=welcome")
class ReadmeExamplesTests extends AbstractBehaviourTests {

	@Test
	void twoChatClientsSeeEachOthersMessages() throws Exception {
		JdkClient alice = chatClient("alice");
		assertThat(alice.webSocket().getSubprotocol()).isEqualTo("chat.v1");
		// Each client's own message coming back shows that it has joined.
		alice.sendText("hi");
		assertThat(alice.next().text()).isEqualTo("alice: hi");
		JdkClient bob = chatClient("bob");
		bob.sendText("hello alice");
		assertThat(bob.next().text()).isEqualTo("bob: hello alice");
		assertThat(alice.next().text()).isEqualTo("bob: hello alice");
		alice.sendText("hello bob");
		assertThat(alice.next().text()).isEqualTo("alice: hello bob");
		assertThat(bob.next().text()).isEqualTo("alice: hello bob");
		bob.sendClose(1000, "");
		assertThat(bob.awaitClose().closeCode()).isEqualTo(1000);
		alice.sendText("alone");
		assertThat(alice.next().text()).isEqualTo("alice: alone");
		alice.sendClose(1000, "");
		assertThat(alice.awaitClose().closeCode()).isEqualTo(1000);
	}

	@Test
	void chatHandshakeCarriesTheSubprotocolAndHeaderAndNeedsANick() throws Exception {
		try (RawWebSocket accepted = RawWebSocket.connect(this.port, "/chat?nick=carol",
				Map.of("Sec-WebSocket-Protocol", "chat.v1"))) {
			assertThat(accepted.handshake().status()).isEqualTo(101);
			assertThat(accepted.handshake().header("Sec-WebSocket-Protocol")).isEqualTo("chat.v1");
			assertThat(accepted.handshake().header("X-Chat-Server")).isEqualTo("demo");
			accepted.sendClose(1000, "");
			accepted.awaitCloseFrame(TIMEOUT);
		}
		try (RawWebSocket denied = RawWebSocket.connect(this.port, "/chat",
				Map.of("Sec-WebSocket-Protocol", "chat.v1"))) {
			assertThat(denied.handshake().status()).isEqualTo(400);
			assertThat(denied.handshake().body()).isEqualTo("nick missing");
		}
	}

	@Test
	void beanMethodEndpointGreetsEveryConnectionFromItsOwnInstance() throws Exception {
		for (String message : List.of("one", "two")) {
			JdkClient client = JdkClient.connect(this.port, "/greeting");
			assertThat(client.next().text()).isEqualTo("welcome");
			client.sendText(message);
			assertThat(client.next().text()).isEqualTo(message);
			client.sendClose(1000, "");
			assertThat(client.awaitClose().closeCode()).isEqualTo(1000);
		}
	}

	private JdkClient chatClient(String nick) throws Exception {
		return JdkClient.connect(HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("chat.v1"), this.port,
				"/chat?nick=" + nick);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, ChatRooms.class, ChatProtocol.class, GreetingConfiguration.class })
	static class ReadmeApplication {

	}

}
