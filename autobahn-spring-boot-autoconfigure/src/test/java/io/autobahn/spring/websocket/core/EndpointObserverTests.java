package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionDeny;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.Disconnected;
import io.autobahn.spring.websocket.WebSocketConnection;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the engine reports to its endpoint's {@link EndpointObserver}, against a fake
 * transport and without sockets: each refused handshake with its status and reason, a
 * connection's opening, messages in and out with their sizes, the time of each
 * {@code onMessage}, its close with the code {@code onClose} gets, a send overflow and an
 * auto-ping timeout; and the traffic each connection counts for itself.
 */
class EndpointObserverTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final List<FakeEndpoint> endpoints = new ArrayList<>();

	@AfterEach
	void close() {
		this.endpoints.forEach(FakeEndpoint::close);
	}

	@Test
	void aConnectionsLifeIsReportedAndItsTrafficCounted() {
		Echo protocol = new Echo();
		FakeEndpoint fake = endpoint(() -> protocol, (builder) -> builder);
		ProtocolConnection connection = fake.connect();
		connection.open(new FakeEndpoint.FakeTransport());
		connection.textReceived("héllo", true);
		connection.frameReceived(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), true, false);
		connection.frameReceived(ByteBuffer.wrap(new byte[] { 4 }), true, true);
		connection.closed(4001, "bye");
		assertThat(fake.observer.events).containsExactly("opened", "received text 6", "sent text 6",
				"received binary 4", "sent binary 4", "closed 4001");
		assertThat(fake.observer.handled).hasSize(2).allSatisfy((nanos) -> assertThat(nanos).isNotNegative());
		WebSocketConnection view = protocol.getConnection();
		assertThat(view.getMessagesReceived()).isEqualTo(2);
		assertThat(view.getBytesReceived()).isEqualTo(10);
		assertThat(view.getMessagesSent()).isEqualTo(2);
		assertThat(view.getBytesSent()).isEqualTo(10);
	}

	@Test
	void messagesTakenAsBuffersOrStreamedAreCountedOnceEach() {
		FakeEndpoint buffers = endpoint(BufferEcho::new, (builder) -> builder);
		ProtocolConnection connection = buffers.connect();
		connection.open(new FakeEndpoint.FakeTransport());
		connection.frameReceived(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), true, true);
		connection.messageReceived(ByteBuffer.wrap(new byte[] { 4, 5 }), true);
		connection.closed(1000, null);
		assertThat(buffers.observer.events).containsExactly("opened", "received binary 3", "sent binary 3",
				"received binary 2", "sent binary 2", "closed 1000");
		assertThat(buffers.observer.handled).hasSize(2);
		FakeEndpoint streams = endpoint(Streaming::new, (builder) -> builder);
		ProtocolConnection streamed = streams.connect();
		streamed.open(new FakeEndpoint.FakeTransport());
		streamed.frameReceived(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), true, false);
		streamed.frameReceived(ByteBuffer.wrap(new byte[] { 4 }), true, false);
		assertThat(streams.observer.events).containsExactly("opened");
		streamed.frameReceived(ByteBuffer.wrap(new byte[] { 5 }), true, true);
		streamed.textReceived("héllo", true);
		streamed.closed(1000, null);
		assertThat(streams.observer.events).containsExactly("opened", "received binary 5", "received text 6",
				"closed 1000");
		assertThat(((Streaming) streamed.getProtocol()).bytes).isEqualTo(11);
	}

	@Test
	void anUncleanCloseIsReportedAs1006AndAnEmptyCloseFrameWithoutCode() {
		FakeEndpoint fake = endpoint(Echo::new, (builder) -> builder);
		ProtocolConnection dropped = fake.connect();
		dropped.open(new FakeEndpoint.FakeTransport());
		dropped.closed(1006, null);
		ProtocolConnection empty = fake.connect();
		empty.open(new FakeEndpoint.FakeTransport());
		empty.closed(1005, null);
		assertThat(fake.observer.events).containsExactly("opened", "closed 1006", "opened", "closed null");
	}

	@Test
	void aHandshakeThatNeverOpensIsNotReportedAsAConnection() {
		FakeEndpoint fake = endpoint(Echo::new, (builder) -> builder);
		fake.connect().abandon();
		assertThat(fake.observer.events).isEmpty();
	}

	@Test
	void refusedHandshakesAreReportedWithStatusAndReason() throws Exception {
		FakeEndpoint limited = new FakeEndpoint(Echo::new, 1, (builder) -> builder);
		this.endpoints.add(limited);
		limited.connect();
		assertThat(limited.endpoint.connect(FakeEndpoint.request())).isCompletedExceptionally();
		assertThat(limited.observer.events).containsExactly("refused 503 max-connections");
		FakeEndpoint denying = endpoint(() -> new WebSocketServerProtocol() {

			@Override
			public ConnectionAccept onConnect(ConnectionRequest request) {
				throw new ConnectionDeny(ConnectionDeny.FORBIDDEN, "no");
			}

		}, (builder) -> builder);
		assertThat(denying.endpoint.connect(FakeEndpoint.request())).isCompletedExceptionally();
		FakeEndpoint failing = endpoint(() -> new WebSocketServerProtocol() {

			@Override
			public ConnectionAccept onConnect(ConnectionRequest request) {
				throw new IllegalStateException("bug");
			}

		}, (builder) -> builder);
		assertThat(failing.endpoint.connect(FakeEndpoint.request())).isCompletedExceptionally();
		FakeEndpoint choosingBadly = endpoint(() -> new WebSocketServerProtocol() {

			@Override
			public ConnectionAccept onConnect(ConnectionRequest request) {
				return ConnectionAccept.subprotocol("never-offered");
			}

		}, (builder) -> builder);
		assertThat(choosingBadly.endpoint.connect(FakeEndpoint.request())).isCompletedExceptionally();
		FakeEndpoint waiting = endpoint(() -> new WebSocketServerProtocol() {

			@Override
			public ConnectionAccept onConnect(ConnectionRequest request) {
				return ConnectionAccept.deferred(new CompletableFuture<>());
			}

		}, (builder) -> builder.openHandshakeTimeout(Duration.ofMillis(50)));
		CompletableFuture<AcceptedConnection> pending = waiting.endpoint.connect(FakeEndpoint.request());
		Awaitility.await().atMost(TIMEOUT).until(pending::isDone);
		assertThat(denying.observer.events).containsExactly("refused 403 denied");
		assertThat(failing.observer.events).containsExactly("refused 500 error");
		assertThat(choosingBadly.observer.events).containsExactly("refused 500 error");
		assertThat(waiting.observer.events).containsExactly("refused 503 timeout");
	}

	@Test
	void aSendOverflowIsReportedOnce() throws Exception {
		Echo protocol = new Echo();
		FakeEndpoint fake = endpoint(() -> protocol, (builder) -> builder.sendBufferSizeLimit(1000));
		ProtocolConnection connection = fake.connect();
		FakeEndpoint.FakeTransport transport = new FakeEndpoint.FakeTransport();
		transport.writing = new CountDownLatch(1);
		connection.open(transport);
		Thread writer = new Thread(() -> protocol.sendMessage(new byte[10], true));
		writer.start();
		assertThat(transport.writing.await(5, TimeUnit.SECONDS)).isTrue();
		protocol.sendMessage(new byte[600], true);
		assertThatExceptionOfType(Disconnected.class).isThrownBy(() -> protocol.sendMessage(new byte[600], true));
		transport.release.countDown();
		writer.join(5000);
		// The first send is counted once its write returns, after the overflow it waited
		// through.
		assertThat(fake.observer.events).containsExactlyInAnyOrder("opened", "sent binary 10", "sent binary 600",
				"overflow", "closed 1006");
		assertThat(fake.observer.events.indexOf("overflow")).isLessThan(fake.observer.events.indexOf("closed 1006"));
	}

	@Test
	void anUnansweredAutoPingIsReported() {
		FakeEndpoint fake = endpoint(Echo::new,
				(builder) -> builder.autoPingInterval(Duration.ofMillis(50)).autoPingTimeout(Duration.ofMillis(100)));
		fake.connect().open(new FakeEndpoint.FakeTransport());
		Awaitility.await().atMost(TIMEOUT).until(() -> fake.observer.events.contains("closed 1006"));
		assertThat(fake.observer.events).containsExactly("opened", "ping timeout", "closed 1006");
	}

	private FakeEndpoint endpoint(Supplier<WebSocketServerProtocol> protocols,
			UnaryOperator<EndpointSettings.Builder> settings) {
		FakeEndpoint fake = new FakeEndpoint(protocols, Budget.UNLIMITED, settings);
		this.endpoints.add(fake);
		return fake;
	}

	static class BufferEcho extends WebSocketServerProtocol {

		@Override
		public void onMessage(ByteBuffer payload, boolean isBinary) {
			byte[] copy = new byte[payload.remaining()];
			payload.get(copy);
			sendMessage(copy, isBinary);
		}

	}

	static class Streaming extends WebSocketServerProtocol {

		int bytes;

		@Override
		public void onMessageFrameData(ByteBuffer payload) {
			this.bytes += payload.remaining();
		}

	}

	static class Echo extends WebSocketServerProtocol {

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			sendMessage(payload, isBinary);
		}

	}

}
