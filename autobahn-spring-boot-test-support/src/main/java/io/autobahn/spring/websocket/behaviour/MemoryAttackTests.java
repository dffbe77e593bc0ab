package io.autobahn.spring.websocket.behaviour;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.autobahn.spring.websocket.test.MemoryAttackServer;
import io.autobahn.spring.websocket.test.PerMessageDeflate;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.StackProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory attack of the hostile-input report, against a server in a JVM of its own
 * with a {@value #HEAP} heap and the starter's defaults (inbound budget: a quarter of the
 * heap; messages up to 1 MiB). {@value #ATTACKERS} clients each send a message of 1 MiB -
 * 1 byte in 64 KiB fragments and never the final one; then as many again with
 * permessage-deflate, where about a kilobyte on the wire inflates to the same megabyte.
 * Without the budget, a few hundred such connections kill a default server on every stack
 * (and this one).
 * <p>
 * The server stays alive (it would exit on an {@code OutOfMemoryError}); a normal client
 * connects and gets its echo within {@value #ECHO_BOUND_MILLIS} ms while the attackers
 * hold their bytes and after they are gone; the connections past the budget are closed
 * with 1013 and counted; the bytes held never pass the budget; and once the attackers are
 * gone the budget is back at zero and the heap, after a collection, back near where it
 * started. The figures are printed. Stack-neutral: subclassed per container, whose test
 * class path the server JVM runs on.
 */
class MemoryAttackTests {

	static final String HEAP = "256m";

	/**
	 * Enough to kill this heap without the budget: with the inbound budget raised to 4
	 * GB, the server JVM died of an {@code OutOfMemoryError} during the plain attack.
	 */
	static final int ATTACKERS = 300;

	static final int FRAGMENT = 64 * 1024;

	static final int MESSAGE = 1024 * 1024 - 1;

	static final long ECHO_BOUND_MILLIS = 1000;

	/** How far above its baseline the heap may stay once the attack is over. */
	static final long HEAP_MARGIN = 32L * 1024 * 1024;

	static final Duration TIMEOUT = Duration.ofSeconds(30);

	private Process server;

	private Path log;

	@AfterEach
	void stopServer() throws InterruptedException {
		if (this.server != null) {
			this.server.destroy();
			if (!this.server.waitFor(10, TimeUnit.SECONDS)) {
				this.server.destroyForcibly();
			}
		}
	}

	@Test
	void partialMessagesPastTheInboundBudgetCannotStopTheServer() throws Exception {
		int port = startServer();
		try (RawWebSocket status = RawWebSocket.connect(port, "/status")) {
			Map<String, Long> baseline = status(status, "gc");
			long limit = baseline.get("inboundLimit");
			assertThat(limit).as("default inbound budget: a quarter of the heap")
				.isEqualTo(baseline.get("heapMax") / 4);
			List<byte[]> plain = new ArrayList<>();
			for (int start = 0; start < MESSAGE; start += FRAGMENT) {
				plain.add(new byte[Math.min(FRAGMENT, MESSAGE - start)]);
			}
			byte[] compressed = PerMessageDeflate.compressor(15, true).compress(new byte[MESSAGE]);
			byte[] deflated = Arrays.copyOf(compressed, compressed.length + 4);
			// Not the message's last frame: it keeps the end of its sync flush (00 00 ff
			// ff).
			deflated[deflated.length - 2] = (byte) 0xff;
			deflated[deflated.length - 1] = (byte) 0xff;
			Report first = attack(port, status, "plain", Map.of(), plain, 0);
			Report second = attack(port, status, "permessage-deflate",
					Map.of("Sec-WebSocket-Extensions", "permessage-deflate"), List.of(deflated), 0b100);
			Map<String, Long> after = status(status, "gc");
			System.out.println("Memory attack on " + StackProfile.current().name() + " (-Xmx" + HEAP
					+ ", inbound budget " + limit + " bytes): heap " + mb(baseline.get("heapUsed"))
					+ " MB live before, " + mb(after.get("heapUsed")) + " MB after; " + deflated.length
					+ " bytes on the wire per deflated attacker");
			for (Report report : List.of(first, second)) {
				System.out.println("  " + report);
			}
			assertThat(this.server.isAlive()).as("server alive").isTrue();
			assertThat(after.get("heapUsed")).as("live heap after the attacks (baseline %d)", baseline.get("heapUsed"))
				.isLessThan(baseline.get("heapUsed") + HEAP_MARGIN);
		}
		String output = Files.readString(this.log);
		assertThat(output).doesNotContain("OutOfMemoryError");
	}

	private Report attack(int port, RawWebSocket status, String name, Map<String, String> headers, List<byte[]> frames,
			int rsv) throws Exception {
		Map<String, Long> before = status(status, "status");
		List<RawWebSocket> attackers = new ArrayList<>();
		AtomicInteger cutOff = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		long echoDuring;
		Map<String, Long> held;
		try {
			List<Future<RawWebSocket>> connecting = new ArrayList<>();
			for (int i = 0; i < ATTACKERS; i++) {
				connecting.add(pool.submit(() -> {
					RawWebSocket raw = RawWebSocket.connect(port, "/echo", headers);
					assertThat(raw.handshake().status()).isEqualTo(101);
					try {
						for (int f = 0; f < frames.size(); f++) {
							raw.sendFrame(false, (f == 0) ? rsv : 0,
									(f == 0) ? RawWebSocket.BINARY : RawWebSocket.CONTINUATION, frames.get(f));
						}
					}
					catch (IOException ex) {
						// Closed by the server while sending.
						cutOff.incrementAndGet();
					}
					return raw;
				}));
			}
			for (Future<RawWebSocket> future : connecting) {
				attackers.add(future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
			}
			// Every attacker's bytes are held or refused: in use and refused add up.
			Poll.until(name + ": every attacker held or refused", () -> {
				Map<String, Long> now = status(status, "status");
				long refused = now.get("inboundRefusals") - before.get("inboundRefusals");
				// A holder reserves its message's bytes (Reactor Netty: the fragments it
				// keeps)
				// or the whole limit, one byte more (the servlet stacks' assembler).
				long holding = now.get("inboundInUse") / MESSAGE;
				return refused + holding >= ATTACKERS;
			}, TIMEOUT);
			// Let the last refusals' close frames arrive.
			Thread.sleep(200);
			held = status(status, "status");
			echoDuring = echoMillis(port);
		}
		finally {
			pool.shutdownNow();
		}
		int closedWith1013 = 0;
		int ended = 0;
		for (RawWebSocket attacker : attackers) {
			int code = closeCode(attacker);
			assertThat(code).as("what an attacker got").isIn(-1, 0, 1013);
			closedWith1013 += (code == 1013) ? 1 : 0;
			ended += (code == 0) ? 1 : 0;
		}
		long holding = held.get("inboundInUse") / MESSAGE;
		long refusals = held.get("inboundRefusals") - before.get("inboundRefusals");
		long gone = System.nanoTime();
		for (RawWebSocket attacker : attackers) {
			attacker.abort();
		}
		Poll.until(name + ": inbound budget back at zero", () -> status(status, "status").get("inboundInUse") == 0,
				TIMEOUT);
		long echoAfter = echoMillis(port);
		long recoveryMillis = (System.nanoTime() - gone) / 1_000_000;
		assertThat(held.get("inboundPeak")).as("bytes held at most").isLessThanOrEqualTo(held.get("inboundLimit"));
		assertThat(refusals).as("refusals counted").isGreaterThan(0);
		assertThat(closedWith1013 + ended + holding)
			.as("attackers closed with 1013 (%d), dropped after it (%d), or " + "holding their bytes (%d)",
					closedWith1013, ended, holding)
			.isEqualTo(ATTACKERS);
		assertThat(closedWith1013 + ended).as("attackers closed").isLessThanOrEqualTo((int) refusals);
		assertThat(echoDuring).as("ms to connect and echo during the attack").isLessThan(ECHO_BOUND_MILLIS);
		assertThat(echoAfter).as("ms to connect and echo after it").isLessThan(ECHO_BOUND_MILLIS);
		return new Report(name, holding, held.get("inboundInUse"), held.get("inboundPeak"), closedWith1013 + ended,
				cutOff.get(), held.get("heapUsed"), echoDuring, echoAfter, recoveryMillis);
	}

	/**
	 * Return the close code the server sent an attacker, 0 if it dropped the connection
	 * (it sends 1013 first and waits a close handshake timeout for the answer), or -1 if
	 * the connection is open with nothing to read.
	 */
	private static int closeCode(RawWebSocket attacker) throws IOException {
		attacker.socket().setSoTimeout(20);
		try {
			RawWebSocket.Frame frame = attacker.readFrame();
			return (frame.opcode() == RawWebSocket.CLOSE) ? frame.closeCode() : frame.opcode() + 10_000;
		}
		catch (SocketTimeoutException ex) {
			return -1;
		}
		catch (IOException ex) {
			return 0;
		}
	}

	private static long echoMillis(int port) throws IOException {
		long start = System.nanoTime();
		try (RawWebSocket client = RawWebSocket.connect(port, "/echo")) {
			client.sendText("a normal client");
			assertThat(client.readMessage().text()).isEqualTo("a normal client");
			long millis = (System.nanoTime() - start) / 1_000_000;
			client.sendClose(1000, "");
			return millis;
		}
	}

	private static Map<String, Long> status(RawWebSocket status, String command) {
		try {
			status.sendText(command);
			Map<String, Long> figures = new HashMap<>();
			for (String pair : status.readMessage().text().split(" ")) {
				String[] nameAndValue = pair.split("=");
				figures.put(nameAndValue[0], Long.parseLong(nameAndValue[1]));
			}
			return figures;
		}
		catch (IOException ex) {
			throw new AssertionError("The server's status endpoint did not answer", ex);
		}
	}

	/** Start the server JVM on this module's test class path and return its port. */
	private int startServer() throws Exception {
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		this.log = Files.createTempFile("memory-attack-server-", ".log");
		this.log.toFile().deleteOnExit();
		List<String> command = List.of(java, "-Xmx" + HEAP, "-XX:+ExitOnOutOfMemoryError", "-cp", classPath,
				MemoryAttackServer.class.getName());
		this.server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(this.log.toFile()).start();
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			for (String line : Files.readAllLines(this.log, StandardCharsets.UTF_8)) {
				if (line.startsWith(MemoryAttackServer.PORT_LINE)) {
					return Integer.parseInt(line.substring(MemoryAttackServer.PORT_LINE.length()).split(" ")[0]);
				}
			}
			assertThat(this.server.isAlive()).as("server JVM running; its output: %s", Files.readString(this.log))
				.isTrue();
			Thread.sleep(100);
		}
		throw new AssertionError(
				"The server JVM did not start within 60 s; its output:\n" + Files.readString(this.log));
	}

	private static long mb(long bytes) {
		return bytes / (1024 * 1024);
	}

	record Report(String attack, long holding, long bytesHeld, long peakBytes, long refused, int cutOffWhileSending,
			long heapUsed, long echoDuringMillis, long echoAfterMillis, long recoveryMillis) {

		@Override
		public String toString() {
			return this.attack + ": " + ATTACKERS + " attackers, " + this.holding + " holding " + mb(this.bytesHeld)
					+ " MB (peak " + mb(this.peakBytes) + " MB), " + this.refused + " closed with 1013 ("
					+ this.cutOffWhileSending + " of them while still sending), heap in use " + mb(this.heapUsed)
					+ " MB; echo during the attack " + this.echoDuringMillis + " ms, after it " + this.echoAfterMillis
					+ " ms; back at zero " + this.recoveryMillis + " ms after the attackers left";
		}

	}

}
