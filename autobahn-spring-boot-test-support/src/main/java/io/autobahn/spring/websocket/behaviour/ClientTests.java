package io.autobahn.spring.websocket.behaviour;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import io.autobahn.spring.websocket.ConnectingRequest;
import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionDeny;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.ConnectionResponse;
import io.autobahn.spring.websocket.Disconnected;
import io.autobahn.spring.websocket.TransportDetails;
import io.autobahn.spring.websocket.WebSocketClient;
import io.autobahn.spring.websocket.WebSocketClientOptions;
import io.autobahn.spring.websocket.WebSocketClientProtocol;
import io.autobahn.spring.websocket.WebSocketConnectException;
import io.autobahn.spring.websocket.WebSocketConnectException.Reason;
import io.autobahn.spring.websocket.WebSocketConnection;
import io.autobahn.spring.websocket.WebSocketConnector;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.Actuator;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The starter's WebSocket client against the starter's own server on a random port: the
 * injectable {@link WebSocketConnector} connects {@code @WebSocketClient} prototype beans
 * (a new, injected instance per connection, destroyed after its {@code onClose}), runs
 * {@code onConnecting}, {@code onConnect} and {@code onOpen} in that order with the
 * handshake they asked for, echoes text, binary and a large message (also to clients that
 * take messages as buffers or stream them), closes with a code and a reason both ways,
 * lists its connections as client connections and meters them with {@code side=client},
 * and fails each kind of failed connect with its {@link Reason}: a refused handshake
 * (with the status and, where the transport reads it, the body), a refused TCP
 * connection, an unknown host, a server that never answers (the open handshake timeout),
 * an exception in {@code onOpen}.
 * <p>
 * Client-side: each stack module runs it through a subclass that names the client
 * transport ({@code autobahn.websocket.client.transport}), so that both transports run
 * against a starter server.
 */
@SpringBootTest(classes = ClientTests.ClientApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "autobahn.websocket.client.open-handshake-timeout=5s",
				"management.endpoints.web.exposure.include=metrics,websocket",
				"autobahn.websocket.endpoints.handshake.allowed-origins=https://client.example" })
abstract class ClientTests extends AbstractBehaviourTests {

	@Autowired
	WebSocketConnector connector;

	@Autowired
	Environment environment;

	@Test
	void echoesTextBinaryAndALargeMessage() throws Exception {
		EchoClient client = connect("/echo", EchoClient.class);
		assertThat(this.recorder.await("client.onOpen", TIMEOUT).details()).containsExactly(client.getPeer());
		client.sendMessage("héllo ✓ 🚀");
		assertClientMessage("héllo ✓ 🚀".getBytes(StandardCharsets.UTF_8), false);
		byte[] binary = new byte[] { 0, 1, 2, (byte) 0xff };
		client.sendMessage(binary, true);
		assertClientMessage(binary, true);
		byte[] large = new byte[512 * 1024];
		new Random(17).nextBytes(large);
		client.sendMessage(large, true);
		assertClientMessage(large, true);
		client.sendClose(1000, null);
		assertThat(this.recorder.await("client.onClose", TIMEOUT).details()).containsExactly(true, 1000, null);
	}

	@Test
	void clientsTakeMessagesAsBuffersOrStreamThem() throws Exception {
		byte[] large = new byte[300 * 1024];
		new Random(18).nextBytes(large);
		BufferClient buffers = connect("/echo", BufferClient.class);
		buffers.sendMessage(large, true);
		HookRecorder.Event binary = this.recorder.await("client.onBufferMessage", TIMEOUT);
		assertThat((byte[]) binary.detail(0)).isEqualTo(large);
		assertThat(binary.details().subList(1, 3)).as("isBinary, read-only").containsExactly(true, true);
		buffers.sendMessage("héllo ✓");
		HookRecorder.Event text = this.recorder.await("client.onBufferMessage", TIMEOUT);
		assertThat(new String((byte[]) text.detail(0), StandardCharsets.UTF_8)).isEqualTo("héllo ✓");
		assertThat(text.details().subList(1, 3)).containsExactly(false, true);
		buffers.sendClose(1000, null);
		StreamClient streams = connect("/echo", StreamClient.class);
		streams.sendMessage(large, true);
		HookRecorder.Event streamed = this.recorder.await("client.streamed", TIMEOUT);
		assertThat((byte[]) streamed.detail(0)).isEqualTo(large);
		assertThat(streamed.detail(1)).as("isBinary").isEqualTo(true);
		assertThat((int) streamed.detail(2)).as("frames").isPositive();
		streams.sendMessage("streamed ✓");
		assertThat(
				new String((byte[]) this.recorder.await("client.streamed", TIMEOUT).detail(0), StandardCharsets.UTF_8))
			.isEqualTo("streamed ✓");
		assertThat(this.recorder.history()).extracting(HookRecorder.Event::hook).doesNotContain("client.onMessage");
		streams.sendClose(1000, null);
	}

	@Test
	void hooksRunInOrderWithTheHandshakeOnConnectingAskedFor() throws Exception {
		HandshakeClient client = connect("/handshake", HandshakeClient.class);
		HookRecorder.Event connecting = this.recorder.await("client.onConnecting", TIMEOUT);
		assertThat(connecting.details()).containsExactly("127.0.0.1", this.port, false, transport());
		HookRecorder.Event request = this.recorder.await("onConnect", TIMEOUT);
		assertThat(request.details()).containsExactly("secret-token", "https://client.example", List.of("v1", "v2"));
		HookRecorder.Event connect = this.recorder.await("client.onConnect", TIMEOUT);
		assertThat(connect.details()).containsExactly("v2", "tcp4:127.0.0.1:" + this.port);
		this.recorder.await("client.onOpen", TIMEOUT);
		assertThat(client.getResponse().protocol()).isEqualTo("v2");
		assertThat(client.getSubprotocol()).isEqualTo("v2");
		assertThat(this.recorder.history()
			.stream()
			.map(HookRecorder.Event::hook)
			.filter((hook) -> hook.startsWith("client.")))
			.startsWith("client.onConnecting", "client.onConnect", "client.onOpen");
		client.sendClose();
	}

	@Test
	void offersPermessageDeflateWhereTheTransportCan() throws Exception {
		EchoClient client = connect("/echo", EchoClient.class);
		List<String> expected = "jdk".equals(transport()) ? List.of() : List.of("permessage-deflate");
		assertThat(client.getExtensions()).isEqualTo(expected);
		assertThat(client.getResponse().extensions()).isEqualTo(expected);
		String text = "compressible ".repeat(1000);
		client.sendMessage(text);
		assertClientMessage(text.getBytes(StandardCharsets.UTF_8), false);
		client.sendClose();
	}

	@Test
	void aCloseWithACodeAndAReasonReachesTheServer() throws Exception {
		EchoClient client = connect("/echo", EchoClient.class);
		this.recorder.await("onOpen", TIMEOUT);
		client.sendClose(4000, "bye from the client");
		assertThat(this.recorder.await("onClose", TIMEOUT).details()).containsExactly(true, 4000,
				"bye from the client");
		HookRecorder.Event closed = this.recorder.await("client.onClose", TIMEOUT);
		assertThat(closed.detail(0)).isEqualTo(true);
		assertThatExceptionOfType(Disconnected.class).isThrownBy(() -> client.sendMessage("late"));
	}

	@Test
	void aCloseOfTheServerReachesTheClient() throws Exception {
		EchoClient client = connect("/server-close", EchoClient.class);
		client.sendMessage("close me");
		assertThat(this.recorder.await("client.onClose", TIMEOUT).details()).containsExactly(true, 4001,
				"bye from the server");
		assertThat(client.isOpen()).isFalse();
	}

	@Test
	void aMessageOverTheClientsLimitClosesWith1009() throws Exception {
		EchoClient client = connect("/server-close", EchoClient.class,
				this.connector.getDefaultOptions().toBuilder().maxMessagePayloadSize(64 * 1024).build());
		client.sendMessage("send big");
		if ("jdk".equals(transport())) {
			// The JDK's client sends no 1009: it drops the connection, as Autobahn's
			// failByDrop.
			assertThat(this.recorder.await("onClose", TIMEOUT).details()).startsWith(false, 1006);
			assertThat(this.recorder.await("client.onClose", TIMEOUT).details()).startsWith(false, 1006);
		}
		else {
			assertThat(this.recorder.await("onClose", TIMEOUT).details()).containsExactly(true, 1009,
					"Message too big");
			assertThat(this.recorder.await("client.onClose", TIMEOUT).detail(0)).isEqualTo(true);
		}
	}

	@Test
	void aNewInjectedInstanceServesEachConnectionAndIsDestroyedAfterOnClose() throws Exception {
		EchoClient first = connect("/echo", EchoClient.class);
		EchoClient second = connect("/echo", EchoClient.class);
		assertThat(first).isNotSameAs(second);
		assertThat(first.recorder).isSameAs(second.recorder).isSameAs(this.recorder);
		first.sendClose();
		second.sendClose();
		this.recorder.await("client.destroyed", TIMEOUT);
		this.recorder.await("client.destroyed", TIMEOUT);
	}

	@Test
	void clientConnectionsAreListedAsSuchUnderTheClientsName() throws Exception {
		EchoClient client = connect("/echo", EchoClient.class);
		this.recorder.await("onOpen", TIMEOUT);
		WebSocketConnection connection = client.getConnection();
		assertThat(this.registry.get(connection.getId())).isSameAs(connection);
		assertThat(connection.isServer()).isFalse();
		assertThat(connection.getEndpoint()).isEqualTo("echoClient");
		assertThat(connection.getPeer()).isEqualTo("tcp4:127.0.0.1:" + this.port);
		assertThat(connection.getRequest().path()).isEqualTo("/echo");
		assertThat(this.registry.forEndpoint("echoClient").size()).isEqualTo(1);
		assertThat(this.registry.forEndpoint("echo").size()).isEqualTo(1);
		assertThat(this.registry.forEndpoint("echo").iterator().next().isServer()).isTrue();
		client.sendClose();
		Poll.until("the client connection leaves the registry",
				() -> this.registry.forEndpoint("echoClient").size() == 0, TIMEOUT);
	}

	@Test
	void clientConnectionsAreMeteredUnderTheClientsNameWithSideClient() throws Exception {
		Actuator actuator = new Actuator(this.port);
		String[] client = { "endpoint:echoClient", "side:client" };
		double opened = actuator.metric("autobahn.websocket.connections.opened", client);
		double closed = closedNormally(actuator);
		double sent = actuator.metric("autobahn.websocket.messages.sent", "endpoint:echoClient", "side:client",
				"type:text");
		double received = actuator.metric("autobahn.websocket.messages.received", "endpoint:echoClient", "side:client",
				"type:text");
		EchoClient echoClient = connect("/echo", EchoClient.class);
		assertThat(actuator.metric("autobahn.websocket.connections.open", client)).isEqualTo(1);
		assertThat(actuator.get("/websocket").read("$.clients.echoClient", Integer.class))
			.as("the Actuator endpoint's open client connections")
			.isEqualTo(1);
		echoClient.sendMessage("metered");
		assertClientMessage("metered".getBytes(StandardCharsets.UTF_8), false);
		echoClient.sendClose(1000, null);
		this.recorder.await("client.onClose", TIMEOUT);
		Poll.until("the client's close is counted", () -> closedNormally(actuator) == closed + 1, TIMEOUT);
		assertThat(actuator.metric("autobahn.websocket.connections.opened", client)).isEqualTo(opened + 1);
		assertThat(
				actuator.metric("autobahn.websocket.messages.sent", "endpoint:echoClient", "side:client", "type:text"))
			.isEqualTo(sent + 1);
		assertThat(actuator.metric("autobahn.websocket.messages.received", "endpoint:echoClient", "side:client",
				"type:text"))
			.isEqualTo(received + 1);
		assertThat(actuator.metric("autobahn.websocket.connections.open", client)).isZero();
		assertThat(actuator.get("/websocket").read("$.clients", Map.class)).doesNotContainKey("echoClient");
		assertThat(actuator.metric("autobahn.websocket.connections.opened", "endpoint:echo", "side:client"))
			.as("the server side of the same connection is not counted as a client")
			.isZero();
	}

	@Test
	void aRefusedHandshakeFailsWithTheStatusAndTheBody() {
		WebSocketConnectException failure = connectFailure(uri("/deny"));
		assertThat(failure.getReason()).isEqualTo(Reason.HANDSHAKE_REFUSED);
		assertThat(failure.getStatus()).isEqualTo(403);
		assertThat(failure.getMessage()).contains(uri("/deny").toString(), "403");
		if (!"jdk".equals(transport())) {
			assertThat(failure.getResponseBody()).isEqualTo("not you");
			assertThat(failure.getMessage()).contains("not you");
		}
		assertThat(this.recorder.history()).noneMatch((event) -> event.hook().equals("client.onOpen"));
	}

	@Test
	void aRefusedTcpConnectionFailsWithConnectionFailed() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		WebSocketConnectException failure = connectFailure(URI.create("ws://127.0.0.1:" + closedPort + "/echo"));
		assertThat(failure.getReason()).isEqualTo(Reason.CONNECTION_FAILED);
		assertThat(failure.getMessage()).contains("127.0.0.1:" + closedPort);
	}

	@Test
	void anUnknownHostFailsWithUnknownHost() {
		WebSocketConnectException failure = connectFailure(URI.create("ws://no-such-host.invalid:8080/echo"));
		assertThat(failure.getReason()).isEqualTo(Reason.UNKNOWN_HOST);
		assertThat(failure.getMessage()).contains("no-such-host.invalid");
	}

	@Test
	void aServerThatNeverAnswersFailsWithTheOpenHandshakeTimeout() throws Exception {
		try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Thread acceptor = new Thread(() -> {
				try (Socket accepted = silent.accept()) {
					Thread.sleep(10_000);
				}
				catch (Exception ex) {
					// Closed by the test.
				}
			});
			acceptor.setDaemon(true);
			acceptor.start();
			long start = System.nanoTime();
			WebSocketConnectException failure = connectFailure(
					URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/echo"),
					this.connector.getDefaultOptions()
						.toBuilder()
						.openHandshakeTimeout(Duration.ofMillis(500))
						.build());
			assertThat(failure.getReason()).isEqualTo(Reason.TIMEOUT);
			assertThat(failure.getMessage()).contains("500 ms");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			acceptor.interrupt();
		}
	}

	@Test
	void anExceptionInOnOpenFailsTheConnectAndClosesWith1011() throws Exception {
		WebSocketConnectException failure = connectFailure(uri("/echo"), FailingClient.class);
		assertThat(failure.getReason()).isEqualTo(Reason.ABORTED);
		if ("jdk".equals(transport())) {
			// The JDK's client sends no 1011: it drops the connection, as Autobahn's
			// failByDrop.
			assertThat(this.recorder.await("onClose", TIMEOUT).details()).startsWith(false, 1006);
		}
		else {
			assertThat(this.recorder.await("onClose", TIMEOUT).details()).containsExactly(true, 1011, "Internal error");
		}
	}

	@Test
	void aUriThatIsNotWebSocketIsRefusedAtOnce() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.connector.connect(URI.create("http://127.0.0.1/echo"), EchoClient.class))
			.withMessageContaining("ws://");
	}

	private static double closedNormally(Actuator actuator) {
		try {
			return actuator.metric("autobahn.websocket.connections.closed", "endpoint:echoClient", "side:client",
					"code:1000");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void assertClientMessage(byte[] expected, boolean isBinary) throws InterruptedException {
		HookRecorder.Event message = this.recorder.await("client.onMessage", TIMEOUT);
		assertThat((byte[]) message.detail(0)).isEqualTo(expected);
		assertThat(message.detail(1)).isEqualTo(isBinary);
	}

	private <P extends WebSocketClientProtocol> P connect(String path, Class<P> type) throws Exception {
		return connect(path, type, this.connector.getDefaultOptions());
	}

	private <P extends WebSocketClientProtocol> P connect(String path, Class<P> type, WebSocketClientOptions options)
			throws Exception {
		return this.connector.connect(uri(path), options, type).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

	private WebSocketConnectException connectFailure(URI uri) {
		return connectFailure(uri, this.connector.getDefaultOptions());
	}

	private WebSocketConnectException connectFailure(URI uri, WebSocketClientOptions options) {
		return failure(this.connector.connect(uri, options, EchoClient.class));
	}

	private WebSocketConnectException connectFailure(URI uri, Class<? extends WebSocketClientProtocol> type) {
		return failure(this.connector.connect(uri, this.connector.getDefaultOptions(), type));
	}

	private static WebSocketConnectException failure(CompletableFuture<?> connect) {
		ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
				() -> connect.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
		assertThat(failure.getCause()).isInstanceOf(WebSocketConnectException.class);
		return (WebSocketConnectException) failure.getCause();
	}

	URI uri(String path) {
		return URI.create("ws://127.0.0.1:" + this.port + path);
	}

	String transport() {
		return this.environment.getRequiredProperty("autobahn.websocket.client.transport");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, EchoEndpoint.class, HandshakeEndpoint.class, DenyingEndpoint.class,
			ServerClosingEndpoint.class, EchoClient.class, HandshakeClient.class, FailingClient.class,
			BufferClient.class, StreamClient.class })
	static class ClientApplication {

	}

	@WebSocketEndpoint(path = "/echo", name = "echo")
	static class EchoEndpoint extends RecordingProtocol {

		EchoEndpoint(HookRecorder recorder) {
			super(recorder);
		}

	}

	/** Records what the client's handshake carried and picks its second subprotocol. */
	@WebSocketEndpoint(path = "/handshake", name = "handshake")
	static class HandshakeEndpoint extends RecordingProtocol {

		HandshakeEndpoint(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public ConnectionAccept onConnect(ConnectionRequest request) {
			this.recorder.recordNullable("onConnect", request.headers().getFirst("X-Token"), request.origin(),
					request.protocols());
			return ConnectionAccept.subprotocol("v2");
		}

	}

	@WebSocketEndpoint("/deny")
	static class DenyingEndpoint extends RecordingProtocol {

		DenyingEndpoint(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public @Nullable ConnectionAccept onConnect(ConnectionRequest request) {
			throw new ConnectionDeny(ConnectionDeny.FORBIDDEN, "not you");
		}

	}

	/** Closes with 4001 when asked to, or sends 128 KiB. */
	@WebSocketEndpoint("/server-close")
	static class ServerClosingEndpoint extends RecordingProtocol {

		ServerClosingEndpoint(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			String text = new String(payload, StandardCharsets.UTF_8);
			if (text.equals("send big")) {
				sendMessage(new byte[128 * 1024], true);
			}
			else {
				sendClose(4001, "bye from the server");
			}
		}

	}

	/** Records its hooks under {@code client.*}. */
	abstract static class RecordingClient extends WebSocketClientProtocol {

		final HookRecorder recorder;

		RecordingClient(HookRecorder recorder) {
			this.recorder = recorder;
		}

		@Override
		public @Nullable ConnectingRequest onConnecting(TransportDetails transportDetails) {
			this.recorder.recordNullable("client.onConnecting", transportDetails.host(), transportDetails.port(),
					transportDetails.isSecure(), transportDetails.transport());
			return null;
		}

		@Override
		public void onConnect(ConnectionResponse response) {
			this.recorder.recordNullable("client.onConnect", response.protocol(), response.peer());
		}

		@Override
		public void onOpen() {
			this.recorder.recordNullable("client.onOpen", getPeer());
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			this.recorder.recordNullable("client.onMessage", payload, isBinary);
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			this.recorder.recordNullable("client.onClose", wasClean, code, reason);
		}

		@PreDestroy
		void destroyed() {
			this.recorder.record("client.destroyed");
		}

	}

	/** A prototype bean with an injected singleton. */
	@WebSocketClient(name = "echoClient")
	static class EchoClient extends RecordingClient {

		EchoClient(HookRecorder recorder) {
			super(recorder);
		}

	}

	/** Takes its messages as buffers, and records a copy. */
	@WebSocketClient
	static class BufferClient extends WebSocketClientProtocol {

		private final HookRecorder recorder;

		BufferClient(HookRecorder recorder) {
			this.recorder = recorder;
		}

		@Override
		public void onMessage(ByteBuffer payload, boolean isBinary) {
			boolean readOnly = payload.isReadOnly();
			byte[] copy = new byte[payload.remaining()];
			payload.get(copy);
			this.recorder.record("client.onBufferMessage", copy, isBinary, readOnly);
		}

	}

	/** Streams its messages, joins each one's frames and records it once it ends. */
	@WebSocketClient
	static class StreamClient extends WebSocketClientProtocol {

		private final HookRecorder recorder;

		private final ByteArrayOutputStream message = new ByteArrayOutputStream();

		private boolean binary;

		private int frames;

		StreamClient(HookRecorder recorder) {
			this.recorder = recorder;
		}

		@Override
		public void onMessageBegin(boolean isBinary) {
			this.binary = isBinary;
			this.message.reset();
			this.frames = 0;
		}

		@Override
		public void onMessageFrameData(ByteBuffer payload) {
			byte[] copy = new byte[payload.remaining()];
			payload.get(copy);
			this.message.writeBytes(copy);
			this.frames++;
		}

		@Override
		public void onMessageEnd() {
			this.recorder.record("client.streamed", this.message.toByteArray(), this.binary, this.frames);
		}

	}

	/** Asks for a token header, an origin and two subprotocols. */
	@WebSocketClient
	static class HandshakeClient extends RecordingClient {

		HandshakeClient(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public ConnectingRequest onConnecting(TransportDetails transportDetails) {
			super.onConnecting(transportDetails);
			return ConnectingRequest.builder()
				.header("X-Token", "secret-token")
				.origin("https://client.example")
				.protocols("v1", "v2")
				.build();
		}

	}

	@WebSocketClient
	static class FailingClient extends RecordingClient {

		FailingClient(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onOpen() {
			throw new IllegalStateException("onOpen fails on purpose");
		}

	}

}
