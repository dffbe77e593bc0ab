package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.autobahn.spring.websocket.Disconnected;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the close state machine of {@link ProtocolConnection} and its
 * {@link HookInvoker}, against a fake transport and without sockets: {@code onClose}
 * exactly once whichever of many threads closes, hooks that never overlap and a close
 * that waits for the running hook, a send overflow that drops the connection once, the
 * keep-alive timeout, a refusal before the connection opened, and the channel's argument
 * checks.
 */
class ConnectionLifecycleTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final List<FakeEndpoint> endpoints = new ArrayList<>();

	@AfterEach
	void close() {
		this.endpoints.forEach(FakeEndpoint::close);
	}

	@Test
	void onCloseRunsExactlyOnceWhenManyThreadsCloseAtOnce() throws Exception {
		AtomicInteger onClose = new AtomicInteger();
		FakeEndpoint fake = endpoint(() -> new WebSocketServerProtocol() {

			@Override
			public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
				onClose.incrementAndGet();
			}

		}, (builder) -> builder);
		int threads = 8;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			for (int round = 0; round < 200; round++) {
				ProtocolConnection connection = fake.connect();
				connection.open(new FakeEndpoint.FakeTransport());
				CyclicBarrier start = new CyclicBarrier(threads);
				List<Future<?>> closers = new ArrayList<>();
				for (int t = 0; t < threads; t++) {
					int kind = t % 4;
					closers.add(executor.submit(() -> {
						start.await();
						switch (kind) {
							case 0 -> connection.closed(1000, "peer");
							case 1 -> connection.closed(1006, "dropped");
							case 2 -> connection.channel().dropConnection();
							default -> connection.channel().sendClose(4000, "server");
						}
						return null;
					}));
				}
				for (Future<?> closer : closers) {
					closer.get(10, TimeUnit.SECONDS);
				}
				assertThat(onClose).as("round %d", round).hasValue(round + 1);
				assertThat(fake.destroyedCount(connection.getProtocol())).isEqualTo(1);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(fake.connectionsHeld()).isZero();
		assertThat(fake.endpoint.getConnections().size()).isZero();
	}

	@Test
	void aCloseFoundWhileAHookRunsWaitsForItAndNoHookStartsAfterIt() throws Exception {
		CountDownLatch inHook = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		FakeEndpoint fake = endpoint(() -> new Recording(this.events) {

			@Override
			public void onMessage(byte[] payload, boolean isBinary) {
				this.events.add("onMessage start");
				inHook.countDown();
				await(release);
				this.events.add("onMessage end");
			}

		}, (builder) -> builder);
		ProtocolConnection connection = fake.connect();
		connection.open(new FakeEndpoint.FakeTransport());
		Thread reader = new Thread(() -> connection.frameReceived(utf8("slow"), false, true));
		reader.start();
		assertThat(inHook.await(5, TimeUnit.SECONDS)).isTrue();
		connection.closed(1000, "bye");
		assertThat(this.events).as("onClose waits for the running hook").doesNotContain("onClose true 1000 bye");
		release.countDown();
		reader.join(5000);
		connection.frameReceived(utf8("late"), false, true);
		assertThat(this.events).containsExactly("onOpen", "onMessage start", "onMessage end", "onClose true 1000 bye");
	}

	@Test
	void dropConnectionFromOnOpenRunsOnCloseAfterOnOpenReturns() {
		FakeEndpoint fake = endpoint(() -> new Recording(this.events) {

			@Override
			public void onOpen() {
				super.onOpen();
				dropConnection();
				this.events.add("dropped");
			}

		}, (builder) -> builder);
		ProtocolConnection connection = fake.connect();
		FakeEndpoint.FakeTransport transport = new FakeEndpoint.FakeTransport();
		connection.open(transport);
		assertThat(this.events).containsExactly("onOpen", "dropped",
				"onClose false 1006 connection was closed uncleanly (dropped by the application)");
		assertThat(transport.aborted).isTrue();
	}

	@Test
	void aSendPastTheSendBufferLimitDropsTheConnectionOnceAndThrowsDisconnected() throws Exception {
		Recording protocol = new Recording(this.events);
		FakeEndpoint fake = endpoint(() -> protocol, (builder) -> builder.sendBufferSizeLimit(1000));
		ProtocolConnection connection = fake.connect();
		FakeEndpoint.FakeTransport transport = new FakeEndpoint.FakeTransport();
		transport.writing = new CountDownLatch(1);
		connection.open(transport);
		Thread writer = new Thread(() -> protocol.sendMessage(new byte[10], true));
		writer.start();
		assertThat(transport.writing.await(5, TimeUnit.SECONDS)).isTrue();
		protocol.sendMessage(new byte[600], true);
		assertThatExceptionOfType(Disconnected.class).isThrownBy(() -> protocol.sendMessage(new byte[600], true))
			.withMessageContaining("send buffer limit of 1000 bytes exceeded");
		assertThatExceptionOfType(Disconnected.class).isThrownBy(() -> protocol.sendMessage(new byte[1], true));
		transport.release.countDown();
		writer.join(5000);
		assertThat(this.events).hasSize(2)
			.last()
			.asString()
			.startsWith("onClose false 1006 ")
			.contains("send buffer limit of 1000 bytes exceeded");
		assertThat(transport.aborted).isTrue();
		assertThat(fake.endpoint.getBudgets().getOutbound().getInUse()).isZero();
	}

	@Test
	void anUnansweredAutoPingDropsTheConnectionAfterTheTimeout() throws Exception {
		FakeEndpoint fake = endpoint(() -> new Recording(this.events),
				(builder) -> builder.autoPingInterval(Duration.ofMillis(50)).autoPingTimeout(Duration.ofMillis(100)));
		ProtocolConnection connection = fake.connect();
		FakeEndpoint.FakeTransport transport = new FakeEndpoint.FakeTransport();
		connection.open(transport);
		Awaitility.await("onClose")
			.atMost(TIMEOUT)
			.pollInterval(Duration.ofMillis(10))
			.until(() -> this.events.size() == 2);
		assertThat(transport.pings).hasSize(1);
		assertThat(this.events).containsExactly("onOpen", "onClose false 1006 connection was closed uncleanly "
				+ "(WebSocket ping timeout (peer did not respond with pong in time))");
		assertThat(transport.aborted).isTrue();
	}

	@Test
	void answeredAutoPingsKeepTheConnectionOpen() throws Exception {
		FakeEndpoint fake = endpoint(() -> new Recording(this.events) {

			@Override
			public void onAutoPong(long pingSent, int pingSequence, long pongReceived, Duration pongRtt,
					byte[] payload) {
				this.events.add("onAutoPong " + pingSequence);
			}

		}, (builder) -> builder.autoPingInterval(Duration.ofMillis(30)).autoPingTimeout(Duration.ofMillis(200)));
		ProtocolConnection connection = fake.connect();
		FakeEndpoint.FakeTransport transport = new FakeEndpoint.FakeTransport();
		connection.open(transport);
		for (int sequence = 1; sequence <= 3; sequence++) {
			int expected = sequence;
			Awaitility.await("ping " + sequence)
				.atMost(TIMEOUT)
				.pollInterval(Duration.ofMillis(10))
				.until(() -> transport.pings.size() >= expected);
			connection.pongReceived(ByteBuffer.wrap(transport.pings.get(sequence - 1)));
		}
		assertThat(this.events).containsExactly("onOpen", "onAutoPong 1", "onAutoPong 2", "onAutoPong 3");
		assertThat(connection.isOpen()).isTrue();
		connection.closed(1000, null);
	}

	@Test
	void aMessageTooBigBeforeTheConnectionOpenedDropsItInsteadOfThrowing() {
		Recording protocol = new Recording(this.events);
		FakeEndpoint fake = endpoint(() -> protocol, (builder) -> builder);
		ProtocolConnection connection = fake.connect();
		connection.messageTooBig("found by the stack before onOpen");
		FakeEndpoint.FakeTransport transport = new FakeEndpoint.FakeTransport();
		connection.open(transport);
		assertThat(this.events).as("never opened, so no onClose either").isEmpty();
		assertThat(transport.aborted).isTrue();
		assertThat(fake.destroyedCount(protocol)).isEqualTo(1);
		assertThat(fake.connectionsHeld()).isZero();
	}

	@Test
	void theChannelChecksCloseCodesReasonsAndControlPayloads() {
		Recording protocol = new Recording(this.events);
		FakeEndpoint fake = endpoint(() -> protocol, (builder) -> builder);
		ProtocolConnection connection = fake.connect();
		FakeEndpoint.FakeTransport transport = new FakeEndpoint.FakeTransport();
		connection.open(transport);
		ConnectionChannel channel = connection.channel();
		assertThatIllegalArgumentException().isThrownBy(() -> channel.sendClose(1011, null));
		assertThatIllegalArgumentException().isThrownBy(() -> channel.sendClose(1000, "x".repeat(124)));
		assertThatIllegalArgumentException().isThrownBy(() -> channel.sendPing(new byte[126]));
		assertThatIllegalArgumentException().isThrownBy(() -> channel.sendPong(new byte[126]));
		assertThat(transport.written).isEmpty();
		channel.sendClose(null, null);
		assertThat(transport.written).containsExactly("close null null");
	}

	private FakeEndpoint endpoint(Supplier<WebSocketServerProtocol> protocols,
			UnaryOperator<EndpointSettings.Builder> settings) {
		FakeEndpoint fake = new FakeEndpoint(protocols, Budget.UNLIMITED, settings);
		this.endpoints.add(fake);
		return fake;
	}

	private static ByteBuffer utf8(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static class Recording extends WebSocketServerProtocol {

		final List<String> events;

		Recording(List<String> events) {
			this.events = events;
		}

		@Override
		public void onOpen() {
			this.events.add("onOpen");
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			this.events.add("onClose " + wasClean + " " + code + " " + reason);
		}

	}

}
