package io.autobahn.spring.websocket.behaviour;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.Disconnected;
import io.autobahn.spring.websocket.WebSocketConnection;
import io.autobahn.spring.websocket.WebSocketConnections;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.Poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The open connections, as the injectable {@link WebSocketConnections} and a protocol's
 * {@code getConnections()} show them: each connection is in them, under a unique id, with
 * its endpoint, request, opening time and attributes, from just before {@code onOpen}
 * until its {@code onClose} has run; a connection found there can be sent to from another
 * thread and says {@link Disconnected} once closed. Subclassed per container.
 */
@SpringBootTest(classes = OpenConnectionsTests.ConnectionsApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
class OpenConnectionsTests extends AbstractBehaviourTests {

	@Autowired
	WebSocketConnections connections;

	@Test
	void everyOpenConnectionIsThereUnderItsIdWithItsEndpointRequestAndAttributes() throws Exception {
		JdkClient first = JdkClient.connect(this.port, "/connections?user=ann");
		JdkClient second = JdkClient.connect(this.port, "/connections?user=bob");
		String firstId = (String) this.recorder.await("onOpen", TIMEOUT).detail(0);
		String secondId = (String) this.recorder.await("onOpen", TIMEOUT).detail(0);
		assertThat(firstId).isNotEqualTo(secondId).matches("[0-9a-f]{16}-[0-9a-f]+");
		assertThat(this.connections.size()).isEqualTo(2);
		assertThat(this.connections.forEndpoint("connections").size()).isEqualTo(2);
		assertThat(this.connections.stream().map(WebSocketConnection::getId)).containsExactlyInAnyOrder(firstId,
				secondId);
		WebSocketConnection connection = this.connections.get(firstId);
		assertThat(connection).isNotNull();
		assertThat(connection.getEndpoint()).isEqualTo("connections");
		assertThat(connection.getRequest().path()).isEqualTo("/connections");
		assertThat(connection.getOpenedAt()).isNotNull();
		assertThat(connection.isOpen()).isTrue();
		String user = connection.getRequest().params().getFirst("user");
		assertThat(connection.getAttributes()).containsEntry("user", user);
		close(first);
		close(second);
	}

	@Test
	void aProtocolBroadcastsToItsEndpointsConnections() throws Exception {
		JdkClient first = JdkClient.connect(this.port, "/connections?user=ann");
		JdkClient second = JdkClient.connect(this.port, "/connections?user=bob");
		this.recorder.await("onOpen", TIMEOUT);
		this.recorder.await("onOpen", TIMEOUT);
		first.sendText("hello all");
		assertThat(first.next().text()).isEqualTo("hello all");
		assertThat(second.next().text()).isEqualTo("hello all");
		close(first);
		close(second);
	}

	@Test
	void aClosedConnectionLeavesWhenItsOnCloseHasRunAndItsSendsThrowDisconnected() throws Exception {
		JdkClient client = JdkClient.connect(this.port, "/connections?user=ann");
		String id = (String) this.recorder.await("onOpen", TIMEOUT).detail(0);
		WebSocketConnection connection = this.connections.get(id);
		assertThat(connection).isNotNull();
		connection.sendMessage("from another thread");
		assertThat(client.next().text()).isEqualTo("from another thread");
		client.sendClose(1000, "bye");
		HookRecorder.Event onClose = this.recorder.await("onClose", TIMEOUT);
		assertThat(onClose.details()).as("still there while onClose runs").containsExactly(id, true);
		Poll.until("the connection left", () -> this.connections.get(id) == null, TIMEOUT);
		assertThat(this.connections.forEndpoint("connections").size()).isZero();
		assertThat(connection.isOpen()).isFalse();
		assertThatExceptionOfType(Disconnected.class).isThrownBy(() -> connection.sendMessage("late"));
	}

	@Test
	void anEndpointNameThatIsNoEndpointsIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.connections.forEndpoint("nope"))
			.withMessageContaining("connections");
	}

	private static void close(JdkClient client) throws Exception {
		client.sendClose(1000, "bye");
		client.awaitClose();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, ConnectionsProtocol.class })
	static class ConnectionsApplication {

	}

	@WebSocketEndpoint(path = "/connections", name = "connections")
	static class ConnectionsProtocol extends WebSocketServerProtocol {

		private final HookRecorder recorder;

		ConnectionsProtocol(HookRecorder recorder) {
			this.recorder = recorder;
		}

		@Override
		public void onOpen() {
			String user = getRequest().params().getFirst("user");
			if (user != null) {
				getConnection().getAttributes().put("user", user);
			}
			this.recorder.record("onOpen", getConnection().getId());
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			String text = new String(payload, StandardCharsets.UTF_8);
			for (WebSocketConnection member : getConnections()) {
				try {
					member.sendMessage(text);
				}
				catch (Disconnected ex) {
					// Closing meanwhile.
				}
			}
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			String id = getConnection().getId();
			this.recorder.record("onClose", id, getConnections().get(id) != null);
		}

	}

}
