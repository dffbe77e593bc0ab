package io.autobahn.spring.websocket.behaviour;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On Reactor Netty hooks run on the event loop, which this module limits to one thread: a
 * hook that sleeps stalls every connection, unless its endpoint sets
 * {@code blocking-hooks}, which runs every hook, {@code onConnect} and {@code onClose}
 * included, on the bounded-elastic scheduler: a blocking {@code onConnect} then does not
 * hold up another connection's echo, and {@code onClose} runs there too, whether the peer
 * closed, the close handshake timed out ({@code autobahn-timer}) or the connection
 * dropped. A deferred accept ({@link ConnectionAccept#deferred}) never holds the loop,
 * with or without {@code blocking-hooks} ({@link DeferredConnectTests} runs on one loop
 * here).
 */
@SpringBootTest(classes = BlockingHooksTests.SleepyApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "autobahn.websocket.endpoints.offloaded.blocking-hooks=true",
				"autobahn.websocket.endpoints.offloaded.close-handshake-timeout=300ms",
				"autobahn.websocket.endpoints.offloaded.auto-ping-interval=100ms" })
@ExtendWith(OutputCaptureExtension.class)
class BlockingHooksTests extends AbstractBehaviourTests {

	private static final long SLEEP_MILLIS = 1500;

	/**
	 * Spring Boot's Reactor Netty server names its loops webflux-http-epoll-N (or
	 * -nio-N).
	 */
	private static final String EVENT_LOOP = "webflux-http-";

	private static final String BOUNDED_ELASTIC = "boundedElastic-";

	/** onConnect of a handshake with {@code ?block=<id>} waits for its latch here. */
	static final Map<String, CountDownLatch> BLOCKED = new ConcurrentHashMap<>();

	@Test
	void sleepingHookDoesNotStallOtherConnectionsWithBlockingHooks() throws Exception {
		assertThat(echoLatencyWhileAnotherConnectionSleeps("/offloaded")).isLessThan(Duration.ofMillis(700));
	}

	@Test
	void sleepingHookOnTheEventLoopStallsOtherConnections() throws Exception {
		assertThat(echoLatencyWhileAnotherConnectionSleeps("/inline")).isGreaterThan(Duration.ofMillis(1000));
	}

	@Test
	void blockingOnConnectDoesNotStallOtherConnectionsWithBlockingHooks() throws Exception {
		// A rerun starts afresh.
		BLOCKED.clear();
		CountDownLatch latch = new CountDownLatch(1);
		BLOCKED.put("a", latch);
		CompletableFuture<RawWebSocket> blocked = CompletableFuture.supplyAsync(() -> {
			try {
				return RawWebSocket.connect(this.port, "/offloaded?block=a");
			}
			catch (Exception ex) {
				throw new CompletionException(ex);
			}
		});
		Poll.until("onConnect is blocked", () -> latch.getCount() == 1 && BLOCKED.containsKey("a:entered"), TIMEOUT);
		// onConnect blocks a thread until the latch opens: another connection is served
		// meanwhile.
		JdkClient other = JdkClient.connect(this.port, "/offloaded");
		other.sendText("served while onConnect blocks");
		assertThat(other.next().text()).isEqualTo("served while onConnect blocks");
		assertThat(blocked).isNotDone();
		latch.countDown();
		try (RawWebSocket raw = blocked.get(10, TimeUnit.SECONDS)) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			raw.sendClose(1000, "");
		}
		other.sendClose(1000, "");
		this.recorder.await("onClose", TIMEOUT);
		this.recorder.await("onClose", TIMEOUT);
	}

	/**
	 * The peer closes as soon as the handshake's answer arrived, so that the event loop
	 * often finds its close frame before a thread of the bounded-elastic scheduler has
	 * opened the connection: the connection opened all the same, so {@code onOpen} runs,
	 * then {@code onClose}, each time; and nothing is logged as an error.
	 */
	@Test
	void closeRightAfterTheHandshakeRunsOnOpenThenOnCloseWithBlockingHooks(CapturedOutput output) throws Exception {
		for (int attempt = 1; attempt <= 20; attempt++) {
			try (RawWebSocket raw = RawWebSocket.connect(this.port, "/offloaded")) {
				raw.sendClose(1000, "");
				assertThat(raw.awaitCloseFrame(TIMEOUT).closeCode()).isEqualTo(1000);
				this.recorder.await("onOpen", TIMEOUT);
				HookRecorder.Event closed = this.recorder.await("onClose", TIMEOUT);
				assertThat(closed.details()).as("attempt %d", attempt).containsExactly(true, 1000, null);
			}
			Poll.until("the connection is gone", () -> this.registry.size() == 0, TIMEOUT);
		}
		assertThat(output).doesNotContain(" ERROR ");
	}

	/**
	 * A message the peer sent right before its close frame reaches {@code onMessage}
	 * before {@code onClose} runs, though the event loop finds the close while the
	 * message waits for a thread of the bounded-elastic scheduler.
	 */
	@Test
	void messageRightBeforeTheCloseIsDeliveredBeforeOnCloseWithBlockingHooks() throws Exception {
		for (int attempt = 1; attempt <= 50; attempt++) {
			try (RawWebSocket raw = RawWebSocket.connect(this.port, "/offloaded")) {
				this.recorder.await("onOpen", TIMEOUT);
				raw.sendText("last words " + attempt);
				raw.sendClose(1000, "");
				assertThat(raw.awaitCloseFrame(TIMEOUT).closeCode()).isEqualTo(1000);
				this.recorder.await("onClose", TIMEOUT);
			}
			Poll.until("the connection is gone", () -> this.registry.size() == 0, TIMEOUT);
			assertThat(this.recorder.history()).extracting(HookRecorder.Event::hook)
				.as("attempt %d", attempt)
				.containsSubsequence("onOpen", "onMessage", "onClose");
			this.recorder.clear();
		}
	}

	@Test
	void everyHookRunsOnTheBoundedElasticSchedulerWithBlockingHooks() throws Exception {
		List<HookRecorder.Event> events = hooksOfAConnection("/offloaded");
		assertThat(events).extracting(HookRecorder.Event::hook)
			.contains("onConnect", "onOpen", "onMessage", "onPing", "onPong", "onAutoPong", "onClose");
		assertThat(events)
			.allSatisfy((event) -> assertThat(event.thread()).as(event.hook()).startsWith(BOUNDED_ELASTIC));
	}

	@Test
	void everyHookRunsOnTheEventLoopWithoutBlockingHooks() throws Exception {
		List<HookRecorder.Event> events = hooksOfAConnection("/inline");
		assertThat(events).extracting(HookRecorder.Event::hook)
			.contains("onConnect", "onOpen", "onMessage", "onPing", "onPong", "onClose");
		assertThat(events).allSatisfy((event) -> assertThat(event.thread()).as(event.hook()).startsWith(EVENT_LOOP));
	}

	@Test
	void onCloseAfterTheCloseHandshakeTimeoutRunsOnTheBoundedElasticSchedulerWithBlockingHooks() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/offloaded")) {
			this.recorder.await("onOpen", TIMEOUT);
			raw.sendText("close");
			assertThat(raw.awaitCloseFrame(TIMEOUT).closeCode()).isEqualTo(4000);
			// No answer: close-handshake-timeout (300 ms) fires on the autobahn-timer
			// thread.
			HookRecorder.Event close = this.recorder.await("onClose", TIMEOUT);
			assertThat(close.detail(0)).isEqualTo(false);
			assertThat(close.thread()).startsWith(BOUNDED_ELASTIC);
		}
	}

	@Test
	void onCloseAfterADroppedConnectionRunsOnTheBoundedElasticSchedulerWithBlockingHooks() throws Exception {
		RawWebSocket raw = RawWebSocket.connect(this.port, "/offloaded");
		this.recorder.await("onOpen", TIMEOUT);
		raw.abort();
		HookRecorder.Event close = this.recorder.await("onClose", TIMEOUT);
		assertThat(close.detail(1)).isEqualTo(1006);
		assertThat(close.thread()).startsWith(BOUNDED_ELASTIC);
	}

	/**
	 * Open a connection, send a message and a ping, answer the server's auto-ping (on
	 * {@code /offloaded}), close, and return the hooks it ran, with their threads.
	 */
	private List<HookRecorder.Event> hooksOfAConnection(String path) throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, path)) {
			this.recorder.await("onOpen", TIMEOUT);
			raw.sendText("hello");
			raw.sendFrame(true, 0, RawWebSocket.PING, "ping".getBytes(StandardCharsets.UTF_8));
			boolean echoed = false;
			boolean ponged = false;
			// /offloaded auto-pings every 100 ms: answer one.
			boolean pinged = !path.equals("/offloaded");
			while (!echoed || !ponged || !pinged) {
				RawWebSocket.Frame frame = raw.readFrame();
				if (frame.opcode() == RawWebSocket.PING) {
					raw.sendPong(frame.payload());
					pinged = true;
				}
				echoed |= frame.opcode() == RawWebSocket.TEXT;
				ponged |= frame.opcode() == RawWebSocket.PONG;
			}
			if (path.equals("/offloaded")) {
				this.recorder.await("onAutoPong", TIMEOUT);
			}
			raw.sendFrame(true, 0, RawWebSocket.PONG, "unsolicited".getBytes(StandardCharsets.UTF_8));
			this.recorder.await((event) -> event.hook().equals("onPong") && "unsolicited".equals(event.detail(0)),
					TIMEOUT);
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
		Thread.sleep(100);
		return this.recorder.history();
	}

	private Duration echoLatencyWhileAnotherConnectionSleeps(String path) throws Exception {
		JdkClient sleeper = JdkClient.connect(this.port, path);
		JdkClient other = JdkClient.connect(this.port, path);
		sleeper.sendText("sleep");
		Thread.sleep(100);
		long start = System.nanoTime();
		other.sendText("hi");
		assertThat(nextText(other)).isEqualTo("hi");
		Duration latency = Duration.ofNanos(System.nanoTime() - start);
		assertThat(nextText(sleeper)).isEqualTo("sleep");
		sleeper.sendClose(1000, "");
		other.sendClose(1000, "");
		return latency;
	}

	/** The next text message, skipping the auto-pings of {@code /offloaded}. */
	private static String nextText(JdkClient client) throws InterruptedException {
		for (;;) {
			JdkClient.Received received = client.next(Duration.ofSeconds(5));
			if (received.kind() != JdkClient.Received.Kind.PING) {
				return received.text();
			}
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, InlineProtocol.class, OffloadedProtocol.class })
	static class SleepyApplication {

	}

	/**
	 * Records every hook with its thread; {@code sleep} sleeps in {@code onMessage},
	 * {@code close} closes with 4000, and {@code ?block=<id>} blocks {@code onConnect}
	 * until the test opens the latch in {@link #BLOCKED}.
	 */
	abstract static class SleepyProtocol extends RecordingProtocol {

		SleepyProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public @Nullable ConnectionAccept onConnect(ConnectionRequest request) {
			this.recorder.record("onConnect");
			String block = request.params().getFirst("block");
			if (block != null) {
				BLOCKED.put(block + ":entered", new CountDownLatch(0));
				try {
					BLOCKED.get(block).await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return null;
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			String text = new String(payload, StandardCharsets.UTF_8);
			if ("sleep".equals(text)) {
				try {
					Thread.sleep(SLEEP_MILLIS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			if ("close".equals(text)) {
				sendClose(4000, "closing");
				return;
			}
			super.onMessage(payload, isBinary);
		}

		@Override
		public void onPing(byte[] payload) {
			this.recorder.record("onPing", new String(payload, StandardCharsets.UTF_8));
			super.onPing(payload);
		}

		@Override
		public void onPong(byte[] payload) {
			this.recorder.record("onPong", new String(payload, StandardCharsets.UTF_8));
		}

		@Override
		public void onAutoPong(long pingSent, int pingSequence, long pongReceived, Duration pongRtt, byte[] payload) {
			this.recorder.record("onAutoPong", pingSequence);
		}

	}

	@WebSocketEndpoint(value = "/inline", name = "inline")
	static class InlineProtocol extends SleepyProtocol {

		InlineProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

	@WebSocketEndpoint(value = "/offloaded", name = "offloaded")
	static class OffloadedProtocol extends SleepyProtocol {

		OffloadedProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

}
