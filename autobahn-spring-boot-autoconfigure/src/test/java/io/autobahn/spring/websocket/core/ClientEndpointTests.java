package io.autobahn.spring.websocket.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import io.autobahn.spring.websocket.ConnectionResponse;
import io.autobahn.spring.websocket.WebSocketClientProtocol;
import io.autobahn.spring.websocket.WebSocketConnection;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ClientEndpoint}, the client front of the engine, against a fake
 * transport (no sockets): {@code onConnect} runs before {@code onOpen} and may send, the
 * connection is registered under the client's name as a client connection, what the front
 * is told (opened, then closed, whether the application closed it), what the client's
 * observer is told, and the instance is disposed of once.
 */
class ClientEndpointTests {

	private final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1);

	private final ConnectionRegistry registry = new ConnectionRegistry();

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final List<WebSocketClientProtocol> disposed = new CopyOnWriteArrayList<>();

	private final FakeEndpoint.FakeTransport transport = new FakeEndpoint.FakeTransport();

	private final FakeEndpoint.RecordingObserver observer = new FakeEndpoint.RecordingObserver();

	@AfterEach
	void close() {
		this.timer.shutdownNow();
	}

	@Test
	void onConnectRunsBeforeOnOpenAndMaySend() {
		Client client = new Client();
		StackConnection connection = connect(client);
		connection.open(this.transport);
		assertThat(this.events).containsExactly("onConnect 101 peer tcp4:127.0.0.1:9000 v1", "onOpen", "opened");
		assertThat(this.transport.written).containsExactly("text hello from onConnect");
		assertThat(client.getResponse().protocol()).isEqualTo("v1");
		assertThat(this.observer.events).as("what the client's observer is told")
			.containsExactly("opened", "sent text 20");
	}

	@Test
	void isRegisteredUnderTheClientsNameAsAClientConnection() {
		Client client = new Client();
		connect(client).open(this.transport);
		WebSocketConnection registered = this.registry.forEndpoint("feed").iterator().next();
		assertThat(registered).isSameAs(client.getConnection());
		assertThat(registered.isServer()).isFalse();
		assertThat(registered.getEndpoint()).isEqualTo("feed");
		assertThat(registered.getPeer()).isEqualTo("tcp4:127.0.0.1:9000");
		assertThat(registered.toString()).contains("client=feed");
	}

	@Test
	void aCloseTheApplicationMakesIsReportedAsSuch() {
		Client client = new Client();
		StackConnection connection = connect(client);
		connection.open(this.transport);
		client.sendClose(1000, "done");
		connection.closed(1000, "done");
		assertThat(this.events).containsSubsequence("onOpen", "opened", "onClose true 1000 done",
				"closed opened=true clean=true 1000 byApplication=true");
		assertThat(this.disposed).containsExactly(client);
		assertThat(this.registry.size()).isZero();
	}

	@Test
	void aCloseOfThePeerIsNotTheApplications() {
		Client client = new Client();
		StackConnection connection = connect(client);
		connection.open(this.transport);
		connection.closed(1001, "server shutting down");
		assertThat(this.events).containsSubsequence("onClose true 1001 server shutting down",
				"closed opened=true clean=true 1001 byApplication=false");
		assertThat(this.transport.written).doesNotContain("close 1000 done");
	}

	@Test
	void anExceptionInOnConnectFailsTheConnectionBeforeItCountsAsOpened() {
		Client client = new Client() {

			@Override
			public void onConnect(ConnectionResponse response) {
				throw new IllegalStateException("no");
			}

		};
		StackConnection connection = connect(client);
		connection.open(this.transport);
		assertThat(this.events).doesNotContain("onOpen", "opened");
		assertThat(this.transport.written).containsExactly("close 1011 Internal error");
		connection.closed(1011, "Internal error");
		assertThat(this.events).contains("closed opened=false clean=true 1011 byApplication=false");
		assertThat(this.disposed).containsExactly(client);
	}

	@Test
	void aServerConnectionHasNoResponse() {
		try (FakeEndpoint fake = new FakeEndpoint(() -> new WebSocketServerProtocol() {
		}, Duration.ofSeconds(5), Duration.ofSeconds(1))) {
			ProtocolConnection connection = fake.connect();
			assertThat(connection.channel().isServer()).isTrue();
			assertThatIllegalStateException().isThrownBy(() -> connection.channel().getResponse());
		}
	}

	private StackConnection connect(Client client) {
		EndpointSettings settings = EndpointSettings.builder()
			.maxMessagePayloadSize(1024)
			.closeHandshakeTimeout(Duration.ofSeconds(1))
			.autoPingSize(12)
			.autoPingRestartOnAnyTraffic(true)
			.perMessageCompression(false)
			.sendBufferSizeLimit(1024)
			.sendTimeLimit(Duration.ofSeconds(1))
			.blockingHooks(false)
			.build();
		ClientEndpoint endpoint = new ClientEndpoint("feed", settings, this.registry, this.timer,
				EndpointBudgets.unlimited("feed"), this.observer, this.disposed::add);
		HttpHeaders headers = new HttpHeaders();
		headers.set("Sec-WebSocket-Protocol", "v1");
		ConnectionResponse response = new ConnectionResponse("tcp4:127.0.0.1:9000", headers, 13, "v1", List.of());
		StackConnection connection = endpoint.connection(client, FakeEndpoint.request("v1"), response,
				new ClientEndpoint.Listener() {

					@Override
					public void opened() {
						ClientEndpointTests.this.events.add("opened");
					}

					@Override
					public void closed(boolean opened, boolean wasClean, @Nullable Integer code,
							@Nullable String reason, boolean closedByApplication) {
						ClientEndpointTests.this.events.add("closed opened=" + opened + " clean=" + wasClean + " "
								+ code + " byApplication=" + closedByApplication);
					}

				});
		this.transport.connection = (ProtocolConnection) connection;
		return connection;
	}

	/** Sends from onConnect and records its hooks. */
	class Client extends WebSocketClientProtocol {

		@Override
		public void onConnect(ConnectionResponse response) {
			ClientEndpointTests.this.events.add("onConnect 101 peer " + response.peer() + " "
					+ response.headers().getFirst("Sec-WebSocket-Protocol"));
			sendMessage("hello from onConnect".getBytes(StandardCharsets.UTF_8), false);
		}

		@Override
		public void onOpen() {
			ClientEndpointTests.this.events.add("onOpen");
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			ClientEndpointTests.this.events.add("onClose " + wasClean + " " + code + " " + reason);
		}

	}

}
