package io.autobahn.spring.websocket.behaviour;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
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

import io.autobahn.spring.websocket.BroadcastResult;
import io.autobahn.spring.websocket.PreparedMessage;
import io.autobahn.spring.websocket.WebSocketConnections;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.LogLines;
import io.autobahn.spring.websocket.test.NioClients;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Broadcast through {@link WebSocketConnections}: one client that stops reading among 100
 * fast ones. The broadcaster (a bean's thread here, and a protocol instance at the end)
 * sends prepared messages to the whole endpoint; the fast clients get every message, in
 * order and on time; the slow one is dropped alone, with the WARN and
 * {@code onClose(false, 1006, ...)}; no broadcast call blocks for as long as
 * {@code send-time-limit}; the registry is empty afterwards. The same with a thousand
 * connections, a scheduled task ticking and clients chatting through their protocol
 * instances. A filter selects receivers by their attributes. Stack-neutral: subclassed
 * per container.
 */
@SpringBootTest(classes = BroadcastTests.BroadcastApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "autobahn.websocket.endpoints.room.send-buffer-size-limit=256KB",
				"autobahn.websocket.endpoints.room.send-time-limit=2s",
				"autobahn.websocket.endpoints.hall.send-buffer-size-limit=256KB" })
@ExtendWith(OutputCaptureExtension.class)
class BroadcastTests extends AbstractBehaviourTests {

	static final int FAST = 100;

	static final int MESSAGE_SIZE = 4096;

	/** At most this many broadcasts wait for the slow client to be dropped. */
	static final int MAX_BROADCASTS = 5000;

	/** Broadcasts after the drop, to show the fast clients are still served. */
	static final int AFTER_DROP = 50;

	/**
	 * How far the broadcaster may run ahead of the slowest fast client (well under the
	 * send buffer limit).
	 */
	static final int WINDOW = 16;

	static final long SEND_TIME_LIMIT_MS = 2000;

	/**
	 * The default {@code send-time-limit} of the thousand-connection test's endpoint: one
	 * event loop serving a thousand connections on a loaded machine may take seconds.
	 */
	static final long HALL_SEND_TIME_LIMIT_MS = 10_000;

	/** Fast clients of the thousand-connection test, with the slow one. */
	static final int MANY = 999;

	static final int TICKS = 100;

	static final int TICK_SIZE = 256;

	static final int CHATS = 10;

	/** Pings, and messages of its own, a client sends while it gets broadcasts. */
	static final int INTERLEAVED_PINGS = 300;

	static final int INTERLEAVED_BROADCASTS_MAX = 50_000;

	@Autowired
	WebSocketConnections connections;

	@Test
	void aReceiverThatStopsReadingIsDroppedAloneAndNeverBlocksTheBroadcaster(CapturedOutput output) throws Exception {
		WebSocketConnections room = this.connections.forEndpoint("room");
		AtomicLongArray sentAt = new AtomicLongArray(MAX_BROADCASTS + AFTER_DROP);
		List<FastReader> fast = new ArrayList<>();
		try (RawWebSocket slow = RawWebSocket.connectWithReceiveBuffer(this.port, "/room?who=slow", 4096)) {
			assertThat(slow.handshake().status()).isEqualTo(101);
			// From here on the slow client reads nothing.
			for (int i = 0; i < FAST; i++) {
				FastReader reader = new FastReader(RawWebSocket.connect(this.port, "/room?who=fast" + i), sentAt);
				assertThat(reader.socket.handshake().status()).isEqualTo(101);
				fast.add(reader);
				reader.start();
			}
			Poll.until("every client in the room", () -> room.size() == FAST + 1, TIMEOUT);
			long slowestBroadcastNanos = 0;
			int broadcasts = 0;
			int dropAt = -1;
			int failed = 0;
			while (broadcasts < ((dropAt < 0) ? MAX_BROADCASTS : dropAt + AFTER_DROP)) {
				int sequence = broadcasts;
				awaitFastClients(fast, sequence - WINDOW);
				PreparedMessage message = room.prepareMessage(message(sequence), true);
				sentAt.set(sequence, System.nanoTime());
				long start = System.nanoTime();
				BroadcastResult result = room.broadcast(message);
				slowestBroadcastNanos = Math.max(slowestBroadcastNanos, System.nanoTime() - start);
				assertThat(result.sent() + result.failed()).isEqualTo(result.matched());
				assertThat(result.matched()).isBetween(FAST, FAST + 1);
				failed += result.failed();
				broadcasts++;
				if (dropAt < 0 && room.size() == FAST) {
					dropAt = broadcasts;
				}
			}
			assertThat(dropAt).as("broadcasts until the slow client was dropped").isPositive();
			assertThat(failed).as("receivers that did not take a broadcast").isLessThanOrEqualTo(1);
			assertThat(slowestBroadcastNanos / 1_000_000).as("ms of the slowest broadcast call")
				.isLessThan(SEND_TIME_LIMIT_MS);
			awaitFastClients(fast, broadcasts);
			// A protocol instance broadcasts what one client says.
			fast.get(0).socket.sendText("bye");
			for (FastReader reader : fast) {
				Poll.until("the protocol's broadcast reached every fast client", () -> reader.said != null, TIMEOUT);
				assertThat(reader.said).isEqualTo("fast0 says bye");
				assertThat(reader.failure).as("what a fast client saw").isNull();
				assertThat(reader.received).isEqualTo(broadcasts);
				assertThat(reader.slowestNanos / 1_000_000).as("ms from a broadcast to a fast client")
					.isLessThan(TIMEOUT.toMillis());
			}
			HookRecorder.Event slowClosed = this.recorder
				.await((event) -> event.hook().equals("onClose") && event.detail(0).equals("slow"), TIMEOUT);
			assertThat(slowClosed.details()).containsExactly("slow", false, 1006);
			String warn = LogLines.first(output.getAll(), " WARN ", "Dropping", "'room'");
			assertThat(warn).isNotNull().containsAnyOf("send buffer limit", "send time limit");
			assertThat(LogLines.count(output.getAll(), " WARN ", "Dropping", "'room'")).isOne();
			for (FastReader reader : fast) {
				reader.socket.sendClose(1000, "");
			}
			for (FastReader reader : fast) {
				reader.join(TIMEOUT.toMillis());
				assertThat(reader.closeCode).isEqualTo(1000);
			}
			Poll.until("the registry is empty", () -> this.registry.size() == 0, TIMEOUT);
			assertThat(this.recorder.history()).filteredOn((event) -> event.hook().equals("onClose"))
				.hasSize(FAST + 1)
				.filteredOn((event) -> !event.detail(0).equals("slow"))
				.allSatisfy((event) -> assertThat(event.details().subList(1, 3)).containsExactly(true, 1000));
		}
		finally {
			for (FastReader reader : fast) {
				reader.socket.close();
			}
		}
	}

	@Test
	void aThousandConnectionsGetEveryTickAndEveryChatMessageWhileTheSlowOneIsDropped(CapturedOutput output)
			throws Exception {
		WebSocketConnections room = this.connections.forEndpoint("hall");
		AtomicIntegerArray ticksReceived = new AtomicIntegerArray(MANY);
		AtomicIntegerArray chatsReceived = new AtomicIntegerArray(MANY);
		AtomicIntegerArray closeCodes = new AtomicIntegerArray(MANY);
		AtomicReference<@Nullable String> failure = new AtomicReference<>();
		NioClients.Receiver receiver = new NioClients.Receiver() {

			@Override
			public void message(int client, int opcode, ByteBuffer payload) {
				if (opcode == RawWebSocket.BINARY) {
					int sequence = payload.getInt(0);
					if (sequence != ticksReceived.get(client) || payload.remaining() != TICK_SIZE) {
						failure.compareAndSet(null, "client " + client + " got tick " + sequence + " as number "
								+ ticksReceived.get(client));
					}
					ticksReceived.set(client, sequence + 1);
				}
				else {
					chatsReceived.incrementAndGet(client);
				}
			}

			@Override
			public void closed(int client, int code) {
				closeCodes.set(client, code);
			}

		};
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
		try (RawWebSocket slow = RawWebSocket.connectWithReceiveBuffer(this.port, "/hall?who=slow", 4096);
				NioClients fast = new NioClients(receiver)) {
			assertThat(slow.handshake().status()).isEqualTo(101);
			for (int i = 0; i < MANY; i++) {
				fast.connect(this.port, "/hall?who=fast" + i);
			}
			fast.start();
			Poll.until("every client in the room", () -> room.size() == MANY + 1, Duration.ofSeconds(30));
			// The slow client also subscribed to a firehose, which fills its socket soon.
			PreparedMessage firehose = room.prepareMessage(new byte[64 * 1024], true);
			AtomicInteger ticked = new AtomicInteger();
			AtomicLong slowestBroadcastNanos = new AtomicLong();
			CountDownLatch ticking = new CountDownLatch(1);
			scheduler.scheduleAtFixedRate(() -> {
				int sequence = ticked.get();
				if (sequence >= TICKS) {
					ticking.countDown();
					return;
				}
				try {
					byte[] tick = new byte[TICK_SIZE];
					ByteBuffer.wrap(tick).putInt(sequence);
					long start = System.nanoTime();
					room.broadcast(tick, true);
					slowestBroadcastNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
					room.broadcast(firehose, (connection) -> "slow".equals(connection.getAttributes().get("who")));
				}
				catch (RuntimeException ex) {
					failure.compareAndSet(null, "tick " + sequence + ": " + ex);
				}
				ticked.incrementAndGet();
			}, 0, 20, TimeUnit.MILLISECONDS);
			// Meanwhile clients chat: their protocol instances broadcast what they say.
			for (int i = 0; i < CHATS; i++) {
				fast.sendText(i * (MANY / CHATS), "hello " + i);
				Thread.sleep(50);
			}
			assertThat(ticking.await(60, TimeUnit.SECONDS)).as("the scheduled task ticked " + TICKS + " times")
				.isTrue();
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (failure.get() == null && fast.getFailure() == null
					&& !(allEqual(ticksReceived, TICKS) && allEqual(chatsReceived, CHATS))
					&& System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(failure.get()).isNull();
			assertThat(summary(ticksReceived)).as("ticks received per fast client").isEqualTo(summary(TICKS));
			assertThat(summary(chatsReceived)).as("chat messages received per fast client").isEqualTo(summary(CHATS));
			assertThat(fast.getFailure()).isNull();
			assertThat(slowestBroadcastNanos.get() / 1_000_000).as("ms of the slowest broadcast call")
				.isLessThan(HALL_SEND_TIME_LIMIT_MS);
			HookRecorder.Event slowClosed = this.recorder
				.await((event) -> event.hook().equals("onClose") && event.detail(0).equals("slow"), TIMEOUT);
			assertThat(slowClosed.details()).containsExactly("slow", false, 1006);
			assertThat(LogLines.count(output.getAll(), " WARN ", "Dropping", "'hall'")).isOne();
			for (int i = 0; i < MANY; i++) {
				fast.sendClose(i, 1000);
			}
			Poll.until("every fast client got the server's close frame", () -> allEqual(closeCodes, 1000),
					Duration.ofSeconds(30));
			Poll.until("the registry is empty", () -> this.registry.size() == 0, Duration.ofSeconds(30));
		}
		finally {
			scheduler.shutdownNow();
		}
	}

	/** The smallest and largest value, and the first client with the smallest. */
	private static String summary(AtomicIntegerArray values) {
		int min = Integer.MAX_VALUE;
		int max = Integer.MIN_VALUE;
		int first = -1;
		for (int i = 0; i < values.length(); i++) {
			if (values.get(i) < min) {
				min = values.get(i);
				first = i;
			}
			max = Math.max(max, values.get(i));
		}
		return (min == max) ? "all " + min : "from " + min + " (client " + first + ") to " + max;
	}

	private static String summary(int expected) {
		return "all " + expected;
	}

	private static boolean allEqual(AtomicIntegerArray values, int expected) {
		for (int i = 0; i < values.length(); i++) {
			if (values.get(i) != expected) {
				return false;
			}
		}
		return true;
	}

	@Test
	void aFilterSelectsReceiversByTheirAttributes() throws Exception {
		try (RawWebSocket ann = RawWebSocket.connect(this.port, "/room?who=ann");
				RawWebSocket bob = RawWebSocket.connect(this.port, "/room?who=bob")) {
			WebSocketConnections room = this.connections.forEndpoint("room");
			Poll.until("both in the room", () -> room.size() == 2, TIMEOUT);
			BroadcastResult result = room.broadcast("for bob only",
					(connection) -> "bob".equals(connection.getAttributes().get("who")));
			assertThat(result).isEqualTo(new BroadcastResult(1, 1, 0));
			result = this.connections.broadcast("for everyone");
			assertThat(result).isEqualTo(new BroadcastResult(2, 2, 0));
			assertThat(bob.readDataOrClose().text()).isEqualTo("for bob only");
			assertThat(bob.readDataOrClose().text()).isEqualTo("for everyone");
			assertThat(ann.readDataOrClose().text()).isEqualTo("for everyone");
			ann.sendClose(1000, "");
			bob.sendClose(1000, "");
			assertThat(ann.readDataOrClose().closeCode()).isEqualTo(1000);
			assertThat(bob.readDataOrClose().closeCode()).isEqualTo(1000);
		}
	}

	/**
	 * A prepared message may go out by a path of its own (on Tomcat straight to the
	 * socket): it must still take turns with the connection's own messages and with the
	 * pongs the container writes itself.
	 */
	@Test
	void broadcastsAmongThePeersPingsAndTheConnectionsOwnMessagesArriveWholeAndInOrder() throws Exception {
		WebSocketConnections room = this.connections.forEndpoint("room");
		try (RawWebSocket pat = RawWebSocket.connect(this.port, "/room?who=pat")) {
			Poll.until("pat in the room", () -> room.size() == 1, TIMEOUT);
			AtomicReference<@Nullable String> failure = new AtomicReference<>();
			AtomicIntegerArray seen = new AtomicIntegerArray(3);
			Thread reader = new Thread(() -> readInterleaved(pat, seen, failure), "pat-reader");
			reader.start();
			AtomicInteger broadcasts = new AtomicInteger();
			CountDownLatch sent = new CountDownLatch(1);
			Thread broadcaster = new Thread(() -> {
				while (sent.getCount() > 0 && broadcasts.get() < INTERLEAVED_BROADCASTS_MAX) {
					room.broadcast(
							room.prepareMessage(("b" + broadcasts.get()).getBytes(StandardCharsets.UTF_8), false));
					broadcasts.incrementAndGet();
				}
			}, "broadcaster");
			broadcaster.start();
			for (int i = 0; i < INTERLEAVED_PINGS; i++) {
				pat.sendFrame(true, 0, 0x9, ("p" + i).getBytes(StandardCharsets.UTF_8));
				pat.sendText("own:" + i);
				if (i % 10 == 0) {
					Thread.sleep(1);
				}
			}
			sent.countDown();
			broadcaster.join(TIMEOUT.toMillis());
			Poll.until("every frame read", () -> failure.get() != null || (seen.get(0) == broadcasts.get()
					&& seen.get(1) == INTERLEAVED_PINGS && seen.get(2) == INTERLEAVED_PINGS), TIMEOUT);
			pat.sendClose(1000, "");
			reader.join(TIMEOUT.toMillis());
			assertThat(failure.get()).as("what pat saw").isEqualTo("close 1000");
			assertThat(broadcasts.get()).isPositive();
			assertThat(seen.get(0)).as("broadcasts read").isEqualTo(broadcasts.get());
			assertThat(seen.get(1)).as("pongs read").isEqualTo(INTERLEAVED_PINGS);
			assertThat(seen.get(2)).as("own messages read").isEqualTo(INTERLEAVED_PINGS);
		}
	}

	/**
	 * Read broadcasts ({@code b<n>}), pongs ({@code p<n>}) and own messages
	 * ({@code own:<n>}), each kind in order, until the close frame; the failure is set to
	 * what ended it.
	 */
	private static void readInterleaved(RawWebSocket socket, AtomicIntegerArray seen,
			AtomicReference<@Nullable String> failure) {
		try {
			for (;;) {
				RawWebSocket.Frame frame = socket.readFrame(TIMEOUT);
				String text = new String(frame.payload(), StandardCharsets.UTF_8);
				String expected = switch (frame.opcode()) {
					case 0x1 ->
						text.startsWith("own:") ? "own:" + seen.getAndIncrement(2) : "b" + seen.getAndIncrement(0);
					case 0xA -> "p" + seen.getAndIncrement(1);
					case 0x8 -> null;
					default -> "opcode " + frame.opcode();
				};
				if (expected == null) {
					failure.set("close " + frame.closeCode());
					return;
				}
				if (!frame.fin() || !expected.equals(text)) {
					failure.set("expected " + expected + ", got " + text + " (fin " + frame.fin() + ")");
					return;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			failure.set(ex.toString());
		}
	}

	private static void awaitFastClients(List<FastReader> fast, int received) throws InterruptedException {
		if (received <= 0) {
			return;
		}
		for (FastReader reader : fast) {
			if (reader.received < received) {
				Poll.until(
						"fast client " + reader.getName() + " received " + received + " broadcasts (has "
								+ reader.received + ", failure " + reader.failure + ")",
						() -> reader.received >= received || reader.failure != null, TIMEOUT);
				assertThat(reader.failure).as("what a fast client saw").isNull();
			}
		}
	}

	/** Broadcast {@code sequence}: its number, then filler. */
	static byte[] message(int sequence) {
		byte[] message = new byte[MESSAGE_SIZE];
		ByteBuffer.wrap(message).putInt(sequence);
		for (int i = 4; i < message.length; i++) {
			message[i] = (byte) (sequence + i);
		}
		return message;
	}

	/**
	 * A client that reads everything as it comes, and checks every broadcast's number and
	 * bytes.
	 */
	static final class FastReader extends Thread {

		final RawWebSocket socket;

		private final AtomicLongArray sentAt;

		volatile int received;

		volatile long slowestNanos;

		volatile @Nullable String said;

		volatile @Nullable String failure;

		volatile int closeCode;

		FastReader(RawWebSocket socket, AtomicLongArray sentAt) {
			super("fast-reader-" + socket.socket().getLocalPort());
			this.socket = socket;
			this.sentAt = sentAt;
			setDaemon(true);
		}

		@Override
		public void run() {
			try {
				for (;;) {
					RawWebSocket.Frame frame = this.socket.readMessage();
					if (frame.opcode() == RawWebSocket.CLOSE) {
						this.closeCode = frame.closeCode();
						return;
					}
					if (frame.opcode() == RawWebSocket.TEXT) {
						this.said = new String(frame.payload(), StandardCharsets.UTF_8);
						continue;
					}
					int sequence = ByteBuffer.wrap(frame.payload()).getInt();
					if (sequence != this.received || !Arrays.equals(frame.payload(), message(sequence))) {
						this.failure = "broadcast " + sequence + " arrived as number " + this.received;
						return;
					}
					this.slowestNanos = Math.max(this.slowestNanos, System.nanoTime() - this.sentAt.get(sequence));
					this.received = sequence + 1;
				}
			}
			catch (IOException | RuntimeException ex) {
				if (this.closeCode == 0) {
					this.failure = ex.toString();
				}
			}
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, RoomProtocol.class, HallProtocol.class })
	static class BroadcastApplication {

	}

	/**
	 * A chat room: a text message is broadcast to everyone in it, with who said it (the
	 * {@code who} query parameter, kept as an attribute for filters).
	 */
	@WebSocketEndpoint(path = "/room", name = "room")
	static class RoomProtocol extends WebSocketServerProtocol {

		private final HookRecorder recorder;

		RoomProtocol(HookRecorder recorder) {
			this.recorder = recorder;
		}

		@Override
		public void onOpen() {
			getConnection().getAttributes().put("who", String.valueOf(getRequest().params().getFirst("who")));
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			String text = new String(payload, StandardCharsets.UTF_8);
			if (text.startsWith("own:")) {
				sendMessage(payload, isBinary);
				return;
			}
			getConnections().broadcast(getConnection().getAttributes().get("who") + " says " + text);
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			this.recorder.recordNullable("onClose", getConnection().getAttributes().get("who"), wasClean, code);
		}

	}

	/**
	 * The same room, for the thousand-connection test, with the default send-time-limit.
	 */
	@WebSocketEndpoint(path = "/hall", name = "hall")
	static class HallProtocol extends RoomProtocol {

		HallProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

}
