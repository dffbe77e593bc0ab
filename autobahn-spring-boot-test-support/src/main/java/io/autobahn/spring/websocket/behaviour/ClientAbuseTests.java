package io.autobahn.spring.websocket.behaviour;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.core.WebSocketBudgets;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that abuse a connection without breaking a rule, held off in bounded time and
 * memory. A client that floods pings and never reads: another client is served meanwhile,
 * and once the flooder is gone nothing of it is left and no ERROR or stack trace was
 * logged. Connect/abort churn ({@value #DEFAULT_CYCLES} cycles, or
 * {@code -Dautobahn.churn.cycles}; 20,000 in the {@code heavy-load} profile) leaves the
 * process's file descriptors, its live threads (beyond the container's fixed pool) and
 * the registry where they were, and every budget at zero. (One message in a million
 * one-byte fragments is {@code FramingConformanceTests}' 1 MiB case; a slow reader is
 * dropped at {@code send-buffer-size-limit} in {@code ConcurrentSendingTests}.)
 * Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = ClientAbuseTests.ClientAbuseApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.tomcat.threads.max=48", "server.tomcat.threads.min-spare=48",
				"server.jetty.threads.max=48", "server.jetty.threads.min=48" })
@ExtendWith(OutputCaptureExtension.class)
class ClientAbuseTests extends AbstractBehaviourTests {

	static final int DEFAULT_CYCLES = 2000;

	static final int CYCLES = Integer.getInteger("autobahn.churn.cycles", DEFAULT_CYCLES);

	static final int PINGS = 50_000;

	/**
	 * File descriptors a churn round may leave open: JVM and logging files opened lazily.
	 */
	static final int FD_MARGIN = 10;

	@Autowired
	WebSocketBudgets budgets;

	@BeforeEach
	void awaitBudgetsBackAtZero() throws InterruptedException {
		Poll.until("budgets of earlier tests are back at zero", this::budgetsAtZero, TIMEOUT);
	}

	@Test
	void aPingFloodFromAPeerThatNeverReadsHarmsNoOneElse(CapturedOutput output) throws Exception {
		int mark = output.getAll().length();
		RawWebSocket flooder = RawWebSocket.connect(this.port, "/abuse");
		this.recorder.await("onOpen", TIMEOUT);
		AtomicInteger sent = new AtomicInteger();
		byte[] payload = new byte[125];
		Thread pinger = new Thread(() -> {
			try {
				for (int i = 0; i < PINGS; i++) {
					flooder.sendFrame(true, 0, RawWebSocket.PING, payload);
					sent.incrementAndGet();
				}
			}
			catch (IOException ex) {
				// Dropped by the server, or aborted below.
			}
		}, "ping-flooder");
		pinger.start();
		try {
			pinger.join(5000);
			JdkClient other = JdkClient.connect(this.port, "/abuse");
			other.sendText("served during a ping flood");
			assertThat(other.next().text()).isEqualTo("served during a ping flood");
			other.sendClose(1000, "");
			other.awaitClose();
		}
		finally {
			flooder.abort();
			pinger.join(10_000);
		}
		System.out.println("Ping flood: " + sent.get() + " of " + PINGS + " pings of 125 bytes sent before the writes "
				+ (pinger.isAlive() ? "blocked" : "ended"));
		assertThat(pinger.isAlive()).isFalse();
		Poll.until("registry is empty", () -> this.registry.size() == 0, TIMEOUT);
		Poll.until("budgets back at zero", this::budgetsAtZero, TIMEOUT);
		String log = output.getAll().substring(mark);
		assertThat(log).doesNotContain(" ERROR ").doesNotContain("\tat ");
	}

	@Test
	void connectAbortChurnLeavesNoDescriptorThreadOrConnectionBehind() throws Exception {
		churn(Math.min(200, CYCLES));
		Poll.until("warm-up connections are gone", () -> this.registry.size() == 0 && budgetsAtZero(), TIMEOUT);
		Thread.sleep(1000);
		long fdsBefore = openFileDescriptors();
		long threadsBefore = liveThreads();
		Map<String, Long> poolsBefore = FaultTests.threadPools();
		long start = System.nanoTime();
		churn(CYCLES);
		long churnMillis = (System.nanoTime() - start) / 1_000_000;
		Poll.until("registry is empty", () -> this.registry.size() == 0, TIMEOUT);
		Poll.until("budgets back at zero", this::budgetsAtZero, TIMEOUT);
		try {
			Poll.until("file descriptors back to at most " + fdsBefore + " + " + FD_MARGIN,
					() -> openFileDescriptors() <= fdsBefore + FD_MARGIN, Duration.ofSeconds(20));
			Poll.until("live threads back to at most " + threadsBefore + " + " + FaultTests.THREAD_MARGIN,
					() -> liveThreads() <= threadsBefore + FaultTests.THREAD_MARGIN, Duration.ofSeconds(20));
		}
		finally {
			System.out.println("Churn of " + CYCLES + " connect/abort cycles in " + churnMillis
					+ " ms: file descriptors " + fdsBefore + " before, " + openFileDescriptors()
					+ " after; live threads " + threadsBefore + " before, " + liveThreads() + " after; by pool before "
					+ poolsBefore + ", after " + FaultTests.threadPools());
		}
		assertEchoes();
	}

	/**
	 * Open connections and drop them, in turn: with a TCP RST right after the handshake,
	 * after a message, in the middle of a message, and with a clean close.
	 */
	private void churn(int cycles) throws Exception {
		for (int i = 0; i < cycles; i++) {
			RawWebSocket raw = RawWebSocket.connect(this.port, "/abuse", Map.of());
			assertThat(raw.handshake().status()).isEqualTo(101);
			switch (i % 4) {
				case 0 -> raw.abort();
				case 1 -> {
					raw.sendText("then gone");
					raw.abort();
				}
				case 2 -> {
					raw.sendFrame(false, 0, RawWebSocket.BINARY, new byte[1000]);
					raw.abort();
				}
				default -> {
					raw.sendClose(1000, "");
					raw.close();
				}
			}
		}
	}

	private boolean budgetsAtZero() {
		return this.budgets.getInbound().getInUse() == 0 && this.budgets.getOutbound().getInUse() == 0
				&& this.budgets.getConnections().getInUse() == 0;
	}

	private void assertEchoes() throws Exception {
		JdkClient client = JdkClient.connect(this.port, "/abuse");
		client.sendText("still serving");
		assertThat(client.next().text()).isEqualTo("still serving");
		client.sendClose(1000, "");
		client.awaitClose();
	}

	/**
	 * Live threads, less those Tomcat has halted: it starts a WebSocket background thread
	 * whenever the first session of its container opens and halts it (renamed "... -
	 * stopping") when the last one closes; a halted thread ends within a second, so churn
	 * leaves a changing number of them behind for a moment.
	 */
	private static long liveThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> !thread.getName().endsWith(" - stopping"))
			.count();
	}

	private static long openFileDescriptors() {
		String[] fds = new File("/proc/self/fd").list();
		if (fds == null) {
			throw new IllegalStateException("/proc/self/fd is not readable: the churn test needs Linux");
		}
		return fds.length;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, AbuseProtocol.class })
	static class ClientAbuseApplication {

	}

	/** Echoes; records only onOpen, so that thousands of connections record little. */
	@WebSocketEndpoint(path = "/abuse", name = "abuse")
	static class AbuseProtocol extends RecordingProtocol {

		AbuseProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			sendMessage(payload, isBinary);
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
		}

	}

}
