package io.autobahn.spring.websocket.behaviour;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

import io.autobahn.spring.websocket.Disconnected;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.core.Budget;
import io.autobahn.spring.websocket.core.WebSocketBudgets;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.LogLines;
import io.autobahn.spring.websocket.test.PerMessageDeflate;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The aggregate memory budgets, with small limits so that a few connections reach them:
 * {@value #BUDGET} bytes for the application's inbound and outbound budget, 64 KB for the
 * inbound budget of endpoint {@code small}. Clients hold partly received messages (64 KiB
 * fragments, plain or deflated, whose final fragment never comes, or half of one large
 * frame) until the budget is full: the next one is closed with 1013 before its bytes are
 * kept, the refusal is counted by the budget that refused, the holders and a normal
 * client are served on, and once they are gone the budget is back at zero. Slow readers
 * of a broadcast are dropped ({@code onClose(false, 1006, ...)}) when their send queues
 * together pass the outbound budget. Budget hits are logged at WARN, one line per
 * endpoint and kind in ten seconds. Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = MemoryBudgetTests.MemoryBudgetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "autobahn.websocket.application.inbound-budget=" + MemoryBudgetTests.BUDGET + "B",
				"autobahn.websocket.application.outbound-budget=" + MemoryBudgetTests.BUDGET + "B",
				"autobahn.websocket.endpoints.small.inbound-budget=80KB" })
@ExtendWith(OutputCaptureExtension.class)
class MemoryBudgetTests extends AbstractBehaviourTests {

	/** Four 64 KiB buffers, and room for the held messages to end. */
	static final int BUDGET = 4 * 64 * 1024 + 16 * 1024;

	static final int FRAGMENT = 64 * 1024;

	@Autowired
	WebSocketBudgets budgets;

	@BeforeEach
	void awaitBudgetsBackAtZero() throws InterruptedException {
		Poll.until(
				"budgets of earlier tests are back at zero", () -> this.budgets.getInbound().getInUse() == 0
						&& this.budgets.getOutbound().getInUse() == 0 && this.budgets.getConnections().getInUse() == 0,
				TIMEOUT);
	}

	@Test
	void partialMessagesPastTheInboundBudgetAreRefusedWith1013AndTheBudgetComesBack(CapturedOutput output)
			throws Exception {
		byte[] fragment = new byte[FRAGMENT];
		assertHeldUntilTheBudgetRefuses("/budget", Map.of(), fragment, "tail".getBytes(StandardCharsets.UTF_8), 4,
				this.budgets.getInbound());
		// Another test's refusal on this endpoint may have used up the ten seconds' line.
		assertThat(LogLines.count(output.getAll(), " WARN ", "'budget'", "1013")).as("WARN lines about the refusal")
			.isLessThanOrEqualTo(1);
	}

	@Test
	void deflatedPartialMessagesCountInflatedAgainstTheBudget() throws Exception {
		// A fragment that is not the last keeps the 00 00 ff ff that ends its sync flush.
		byte[] compressed = withSyncFlushEnd(PerMessageDeflate.compressor(15, true).compress(new byte[FRAGMENT]));
		assertThat(compressed.length).as("bytes on the wire per held connection").isLessThan(200);
		// The rest of the message: a deflate stream of its own, which may follow a sync
		// flush.
		byte[] tail = PerMessageDeflate.compressor(15, true).compress("tail".getBytes(StandardCharsets.UTF_8));
		assertHeldUntilTheBudgetRefuses("/budget", Map.of("Sec-WebSocket-Extensions", "permessage-deflate"), compressed,
				tail, 4, this.budgets.getInbound());
	}

	@Test
	void halfOfALargeFrameCountsAgainstTheBudgetToo() throws Exception {
		long refusalsBefore = this.budgets.getInbound().getRefusals();
		List<RawWebSocket> holders = new ArrayList<>();
		RawWebSocket refused = null;
		try {
			// Each sends 100 KiB of a 200 KiB frame: Netty's decoder holds them, the
			// servlet
			// containers pass them on to the starter in parts.
			for (int i = 0; i < 6 && refused == null; i++) {
				RawWebSocket raw = RawWebSocket.connect(this.port, "/budget");
				long before = this.budgets.getInbound().getInUse();
				raw.socket().getOutputStream().write(frameStart(200 * 1024, new byte[100 * 1024]));
				Poll.until("half a frame is held or refused",
						() -> this.budgets.getInbound().getInUse() >= before + 100 * 1024
								|| this.budgets.getInbound().getRefusals() > refusalsBefore,
						TIMEOUT);
				if (this.budgets.getInbound().getRefusals() > refusalsBefore) {
					refused = raw;
				}
				else {
					holders.add(raw);
				}
			}
			assertThat(refused).as("a connection refused within 6").isNotNull();
			assertThat(holders).as("connections holding half a frame when the budget refused").hasSize(2);
			assertRefusedWith1013(refused);
			assertEchoes("/budget");
		}
		finally {
			for (RawWebSocket holder : holders) {
				holder.abort();
			}
			if (refused != null) {
				refused.close();
			}
		}
		Poll.until("inbound budget back at zero", () -> this.budgets.getInbound().getInUse() == 0, TIMEOUT);
		assertThat(this.budgets.getInbound().getRefusals()).isEqualTo(refusalsBefore + 1);
	}

	@Test
	void anEndpointsOwnInboundBudgetRefusesWhileTheApplicationsHasRoom(CapturedOutput output) throws Exception {
		Budget small = this.budgets.getEndpoints().get("small").getInbound();
		long applicationRefusals = this.budgets.getInbound().getRefusals();
		byte[] fragment = new byte[FRAGMENT];
		assertHeldUntilTheBudgetRefuses("/small", Map.of(), fragment, "tail".getBytes(StandardCharsets.UTF_8), 1,
				small);
		assertThat(this.budgets.getInbound().getRefusals()).isEqualTo(applicationRefusals);
		String warn = LogLines.first(output.getAll(), " WARN ", "'small'", "1013");
		assertThat(warn).contains("closing the connection of tcp4:127.0.0.1:", "with 1013 (try again later)",
				"the inbound budget of endpoint 'small' of 81920 bytes");
		assertThat(LogLines.count(output.getAll(), " WARN ", "'small'", "1013")).isEqualTo(1);
	}

	@Test
	void slowReadersOfABroadcastAreDroppedWhenTheirQueuesPassTheOutboundBudget(CapturedOutput output) throws Exception {
		long refusalsBefore = this.budgets.getOutbound().getRefusals();
		List<RawWebSocket> readers = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				readers.add(RawWebSocket.connect(this.port, "/broadcast"));
				this.recorder.await("onOpen", TIMEOUT);
			}
			// They never read. A fourth client asks for the broadcast, and reads.
			try (RawWebSocket controller = RawWebSocket.connect(this.port, "/broadcast")) {
				this.recorder.await("onOpen", TIMEOUT);
				controller.sendText("go");
				for (int i = 0; i < 3; i++) {
					HookRecorder.Event close = this.recorder.await("onClose", TIMEOUT);
					assertThat(close.detail(0)).as("wasClean of a slow reader").isEqualTo(false);
					assertThat(close.detail(1)).isEqualTo(1006);
				}
				assertThat(this.budgets.getOutbound().getRefusals()).isGreaterThan(refusalsBefore);
				assertThat(this.budgets.getOutbound().getPeak()).isLessThanOrEqualTo(BUDGET);
				for (int i = 0; i < 3; i++) {
					assertThat(this.recorder.await("broadcastEnded", TIMEOUT).detail(0))
						.isEqualTo(Disconnected.class.getName());
				}
				controller.sendText("still there?");
				assertThat(controller.readMessage().text()).isEqualTo("still there?");
				controller.sendClose(1000, "");
				this.recorder.await("onClose", TIMEOUT);
			}
			assertEchoes("/budget");
		}
		finally {
			for (RawWebSocket reader : readers) {
				reader.abort();
			}
		}
		Poll.until("outbound budget back at zero", () -> this.budgets.getOutbound().getInUse() == 0, TIMEOUT);
		String warn = LogLines.first(output.getAll(), " WARN ", "'broadcast'", "outbound budget");
		assertThat(warn).as("the WARN about the outbound budget").isNotNull();
		assertThat(LogLines.count(output.getAll(), " WARN ", "'broadcast'", "outbound budget"))
			.as("WARN lines about the outbound budget (one per endpoint in ten seconds)")
			.isEqualTo(1);
	}

	/**
	 * Open connections that each send one non-final fragment until the budget refuses
	 * one: the first {@code expectedHolders} hold theirs, the next is closed with 1013.
	 * Then a normal client is echoed, the holders finish their messages and are echoed,
	 * and the budget is back at zero.
	 */
	private void assertHeldUntilTheBudgetRefuses(String path, Map<String, String> headers, byte[] fragment, byte[] tail,
			int expectedHolders, Budget budget) throws Exception {
		boolean compressed = !headers.isEmpty();
		long refusalsBefore = budget.getRefusals();
		List<RawWebSocket> holders = new ArrayList<>();
		RawWebSocket refused = null;
		try {
			for (int i = 0; i <= expectedHolders + 2 && refused == null; i++) {
				RawWebSocket raw = RawWebSocket.connect(this.port, path, headers);
				assertThat(raw.handshake().status()).isEqualTo(101);
				if (compressed) {
					assertThat(raw.handshake().header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
				}
				long expected = (long) (holders.size() + 1) * FRAGMENT;
				raw.sendFrame(false, compressed ? 0b100 : 0, RawWebSocket.BINARY, fragment);
				Poll.until("the fragment is held or refused",
						() -> budget.getInUse() == expected || budget.getRefusals() > refusalsBefore, TIMEOUT);
				if (budget.getRefusals() > refusalsBefore) {
					refused = raw;
				}
				else {
					holders.add(raw);
				}
			}
			assertThat(holders).as("connections holding a fragment when the budget refused").hasSize(expectedHolders);
			assertThat(refused).isNotNull();
			assertThat(budget.getInUse()).isLessThanOrEqualTo(budget.getLimit());
			assertRefusedWith1013(refused);
			assertEchoes(path);
			for (RawWebSocket holder : holders) {
				holder.sendFrame(true, 0, RawWebSocket.CONTINUATION, tail);
				RawWebSocket.Frame echo = holder.readMessage();
				byte[] payload = compressed && (echo.rsv() & 0b100) != 0
						? PerMessageDeflate.decompressor(15, true).decompress(echo.payload()) : echo.payload();
				assertThat(payload).as("the held message, finished").hasSize(FRAGMENT + 4);
				holder.sendClose(1000, "");
			}
		}
		finally {
			for (RawWebSocket holder : holders) {
				holder.close();
			}
			if (refused != null) {
				refused.close();
			}
		}
		Poll.until("budget back at zero", () -> budget.getInUse() == 0, TIMEOUT);
		assertThat(budget.getRefusals()).isEqualTo(refusalsBefore + 1);
	}

	private void assertRefusedWith1013(RawWebSocket refused) throws Exception {
		RawWebSocket.Frame close = refused.awaitCloseFrame(TIMEOUT);
		assertThat(close.closeCode()).isEqualTo(1013);
		assertThat(close.closeReason()).isEqualTo("Try again later");
		try {
			refused.sendClose(1013, "");
		}
		catch (IOException ex) {
			// The server may have dropped the connection after its close frame.
		}
		HookRecorder.Event onClose = this.recorder.await("onClose", TIMEOUT);
		assertThat(onClose.detail(1)).isIn(1013, 1006);
		assertThat(this.recorder.drain()).as("nothing of the refused message was delivered")
			.noneMatch((event) -> event.hook().equals("onMessage"));
	}

	private void assertEchoes(String path) throws Exception {
		JdkClient client = JdkClient.connect(this.port, path);
		client.sendText("a normal client");
		assertThat(client.next().text()).isEqualTo("a normal client");
		client.sendClose(1000, "");
		client.awaitClose();
	}

	private static byte[] withSyncFlushEnd(byte[] compressed) {
		byte[] fragment = Arrays.copyOf(compressed, compressed.length + 4);
		fragment[compressed.length + 2] = (byte) 0xff;
		fragment[compressed.length + 3] = (byte) 0xff;
		return fragment;
	}

	/**
	 * The header of a masked binary frame of the given length and the start of its
	 * payload.
	 */
	private static byte[] frameStart(int length, byte[] start) {
		ByteBuffer frame = ByteBuffer.allocate(2 + 8 + 4 + start.length);
		frame.put((byte) 0x82).put((byte) (0x80 | 127)).putLong(length).putInt(0);
		// A zero mask leaves the payload as it is.
		frame.put(start);
		return frame.array();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, BudgetProtocol.class, SmallProtocol.class, BroadcastProtocol.class })
	static class MemoryBudgetApplication {

	}

	@WebSocketEndpoint(path = "/budget", name = "budget")
	static class BudgetProtocol extends RecordingProtocol {

		BudgetProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

	@WebSocketEndpoint(path = "/small", name = "small")
	static class SmallProtocol extends RecordingProtocol {

		SmallProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

	/**
	 * On "go", sends 8 KiB messages to every other open connection of the endpoint, from
	 * two threads per connection (so that on the servlet stack one thread's write blocks
	 * and the other's messages queue), until a send fails; echoes anything else.
	 */
	@WebSocketEndpoint(path = "/broadcast", name = "broadcast")
	static class BroadcastProtocol extends RecordingProtocol {

		static final Set<BroadcastProtocol> OPEN = ConcurrentHashMap.newKeySet();

		BroadcastProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onOpen() {
			OPEN.add(this);
			super.onOpen();
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			if (!new String(payload, StandardCharsets.UTF_8).equals("go")) {
				super.onMessage(payload, isBinary);
				return;
			}
			for (BroadcastProtocol target : OPEN) {
				if (target != this) {
					Map<String, String> ended = new ConcurrentHashMap<>();
					for (int t = 0; t < 2; t++) {
						Thread sender = new Thread(() -> target.flood(ended), "broadcast-sender");
						sender.setDaemon(true);
						sender.start();
					}
				}
			}
		}

		private void flood(Map<String, String> ended) {
			byte[] chunk = new byte[8 * 1024];
			String how = "loop finished without failing";
			try {
				// At most 160 MB: far more than the socket buffers and the budget hold.
				for (int i = 0; i < 10_000; i++) {
					sendMessage(chunk, true);
				}
			}
			catch (RuntimeException ex) {
				how = ex.getClass().getName();
			}
			// One event per connection: the second of its two senders to end reports.
			if (ended.putIfAbsent("first", how) != null) {
				this.recorder.record("broadcastEnded", how);
			}
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			OPEN.remove(this);
			super.onClose(wasClean, code, reason);
		}

	}

}
