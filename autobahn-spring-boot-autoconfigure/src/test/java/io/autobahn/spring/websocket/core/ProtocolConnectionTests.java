package io.autobahn.spring.websocket.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import io.autobahn.spring.websocket.WebSocketServerProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ProtocolConnection}'s close semantics, against a fake transport (no
 * sockets): {@code onClose} arguments as Autobahn gives them, {@code wasClean} on a stack
 * that reports a close when it is sent, {@code dropConnection()}, the hook executor, and
 * an abandoned handshake.
 */
class ProtocolConnectionTests {

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final RecordingProtocol protocol = new RecordingProtocol(this.events);

	private final FakeEndpoint.FakeTransport transport = new FakeEndpoint.FakeTransport();

	private @Nullable FakeEndpoint fake;

	@AfterEach
	void close() {
		if (this.fake != null) {
			this.fake.close();
		}
	}

	@Test
	void closeFrameWithACodeAndAnEmptyReasonGivesANullReason() {
		ProtocolConnection connection = open(Duration.ofSeconds(1));
		connection.closed(4000, "");
		assertThat(this.events).containsExactly("onOpen", "onClose true 4000 null");
	}

	@Test
	void closeFrameWithoutACodeGivesNullCodeAndReason() {
		ProtocolConnection connection = open(Duration.ofSeconds(1));
		connection.closed(1005, "ignored");
		assertThat(this.events).containsExactly("onOpen", "onClose true null null");
	}

	@Test
	void closeReportedWhenSentWaitsForThePeersCloseFrame() throws InterruptedException {
		this.transport.reportCloseWhenSent = true;
		open(Duration.ofSeconds(5));
		this.protocol.sendClose(4001, "x");
		assertThat(this.transport.written).containsExactly("close 4001 x");
		assertThat(this.events).containsExactly("onOpen");
		this.transport.peerCloseReceived = true;
		await("onClose").atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> this.events.size() == 2);
		assertThat(this.events).containsExactly("onOpen", "onClose true 4001 x");
		assertThat(this.transport.aborted).isFalse();
	}

	@Test
	void closeReportedWhenSentIsUncleanWhenThePeerNeverAnswers() throws InterruptedException {
		this.transport.reportCloseWhenSent = true;
		open(Duration.ofMillis(200));
		this.protocol.sendClose(4001, "x");
		await("onClose").atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> this.events.size() == 2);
		assertThat(this.events).containsExactly("onOpen", "onClose false 1006 connection was closed uncleanly "
				+ "(WebSocket closing handshake timeout (peer did not finish the closing handshake in time))");
		assertThat(this.transport.aborted).isTrue();
	}

	@Test
	void dropConnectionFromAHookRunsOnCloseAfterTheHookReturns() {
		ProtocolConnection connection = open(Duration.ofSeconds(1));
		connection.frameReceived(java.nio.ByteBuffer.wrap("drop".getBytes()), false, true);
		assertThat(this.events).containsExactly("onOpen", "onMessage drop", "dropped",
				"onClose false 1006 connection was closed uncleanly (dropped by the application)");
		assertThat(this.transport.aborted).isTrue();
		assertThat(this.fake.destroyedCount(this.protocol)).isEqualTo(1);
		// Dropping again, or a close the stack reports afterwards, changes nothing.
		connection.channel().dropConnection();
		connection.closed(1006, "gone");
		assertThat(this.events).hasSize(4);
	}

	@Test
	void dropConnectionDuringOnConnectIsRefused() {
		this.fake = new FakeEndpoint(() -> new WebSocketServerProtocol() {

			@Override
			public io.autobahn.spring.websocket.ConnectionAccept onConnect(
					io.autobahn.spring.websocket.ConnectionRequest request) {
				assertThatIllegalStateException().isThrownBy(this::dropConnection)
					.withMessageContaining("throw ConnectionDeny");
				ProtocolConnectionTests.this.events.add("refused");
				return null;
			}

		}, Duration.ofSeconds(5), Duration.ofSeconds(1));
		this.fake.endpoint.connect(FakeEndpoint.request()).join();
		assertThat(this.events).containsExactly("refused");
	}

	@Test
	void onCloseRunsOnTheHookExecutorWhenOneIsGiven() throws Exception {
		ExecutorService hooks = Executors.newSingleThreadExecutor(new CustomizableThreadFactory("hooks-"));
		try {
			ProtocolConnection connection = connect(Duration.ofSeconds(1));
			connection.open(this.transport, hooks);
			connection.closed(1000, "bye");
			await("onClose").atMost(Duration.ofSeconds(2))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> this.events.size() == 2);
			assertThat(this.protocol.closeThread).startsWith("hooks-");
		}
		finally {
			hooks.shutdownNow();
		}
	}

	@Test
	void abandonedHandshakeNeverOpensAndDisposesItsProtocolOnce() {
		ProtocolConnection connection = connect(Duration.ofSeconds(1));
		connection.abandon();
		connection.open(this.transport);
		connection.closed(1006, "aborted");
		assertThat(this.events).isEmpty();
		assertThat(this.transport.aborted).isTrue();
		assertThat(this.fake.destroyedCount(this.protocol)).isEqualTo(1);
	}

	private ProtocolConnection open(Duration closeHandshakeTimeout) {
		ProtocolConnection connection = connect(closeHandshakeTimeout);
		connection.open(this.transport);
		return connection;
	}

	private ProtocolConnection connect(Duration closeHandshakeTimeout) {
		this.fake = new FakeEndpoint(() -> this.protocol, Duration.ofSeconds(5), closeHandshakeTimeout);
		ProtocolConnection connection = (ProtocolConnection) this.fake.endpoint.connect(FakeEndpoint.request())
			.join()
			.connection();
		this.transport.connection = connection;
		return connection;
	}

	static final class RecordingProtocol extends WebSocketServerProtocol {

		private final List<String> events;

		volatile @Nullable String closeThread;

		RecordingProtocol(List<String> events) {
			this.events = events;
		}

		@Override
		public void onOpen() {
			this.events.add("onOpen");
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			String text = new String(payload);
			this.events.add("onMessage " + text);
			if (text.equals("drop")) {
				dropConnection();
				this.events.add("dropped");
			}
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			this.closeThread = Thread.currentThread().getName();
			this.events.add("onClose " + wasClean + " " + code + " " + reason);
		}

	}

}
