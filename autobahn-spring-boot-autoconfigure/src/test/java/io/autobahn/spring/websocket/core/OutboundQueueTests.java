package io.autobahn.spring.websocket.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutboundQueue} against in-memory transports, without sockets: one that
 * writes a frame at a time and completes it later on another thread (as Tomcat and Jetty
 * do), and one that takes frames at once and completes them later (as Reactor Netty's
 * channel does). Concurrent senders never interleave frames and keep their own order; no
 * send waits for a write; the bytes sent and not yet written are held to
 * {@code send-buffer-size-limit}, the water marks, the time limit (a timer looks, since
 * nobody waits) and the outbound budget, through a per-connection credit reserved in
 * chunks; a prepared message's bytes count once however many connections hold it; and
 * every reserved byte comes back once frames are written or dropped.
 */
class OutboundQueueTests {

	private static final long NO_LIMIT = Long.MAX_VALUE;

	private final ExecutorService completions = Executors.newFixedThreadPool(2);

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

	@AfterEach
	void shutdown() {
		this.completions.shutdownNow();
		this.timer.shutdownNow();
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void concurrentSendersNeverInterleaveFramesAndKeepTheirOrder(boolean buffered) throws Exception {
		RecordingTransport transport = new RecordingTransport(buffered, this.completions);
		OutboundQueue queue = queue(transport, new FailingListener(), NO_LIMIT, null);
		int threads = 8;
		int messages = 1_000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CyclicBarrier start = new CyclicBarrier(threads);
		List<Future<?>> results = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			results.add(executor.submit(() -> {
				start.await();
				for (int i = 0; i < messages; i++) {
					byte[] payload = (thread + ":" + i + ":" + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
					assertThat(((i % 3) == 0) ? queue.send(OutboundQueue.Outgoing.message(payload, false, 4))
							: queue.sendMessage(payload, false, 0))
						.isTrue();
				}
				return null;
			}));
		}
		for (Future<?> result : results) {
			result.get(30, TimeUnit.SECONDS);
		}
		executor.shutdown();
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> queue.getHeld() == 0);
		List<String> received = transport.messages();
		assertThat(received).hasSize(threads * messages);
		Map<Integer, Integer> next = new HashMap<>();
		for (String message : received) {
			String[] parts = message.split(":", -1);
			int thread = Integer.parseInt(parts[0]);
			int sequence = Integer.parseInt(parts[1]);
			assertThat(sequence).as("order of thread %d", thread).isEqualTo(next.getOrDefault(thread, 0));
			assertThat(parts[2]).isEqualTo("x".repeat(sequence % 50));
			next.put(thread, sequence + 1);
		}
		assertThat(transport.overlapping.get()).as("frames handed over while another was being written").isZero();
	}

	@Test
	void textFragmentsEndOnCodePointBoundaries() {
		RecordingTransport transport = new RecordingTransport(false, null);
		OutboundQueue queue = queue(transport, new FailingListener(), NO_LIMIT, null);
		String text = "ééé😀😀ab";
		queue.send(OutboundQueue.Outgoing.message(text.getBytes(StandardCharsets.UTF_8), false, 3));
		assertThat(transport.messages()).containsExactly(text);
		assertThat(transport.fragments).allSatisfy((fragment) -> assertThat(fragment).doesNotContain("\uFFFD"));
		assertThat(transport.fragments.size()).isGreaterThan(3);
	}

	@Test
	void noSendWaitsForAWriteAndTheSendPastTheLimitFailsTheConnection() {
		HeldTransport transport = new HeldTransport(false);
		RecordingListener listener = new RecordingListener();
		OutboundQueue queue = queue(transport, listener, 1000, null);
		long start = System.nanoTime();
		assertThat(queue.sendMessage(new byte[10], true, 0)).isTrue();
		assertThat(queue.sendMessage(new byte[600], true, 0)).isTrue();
		assertThat(queue.getHeld()).isEqualTo(610);
		assertThat(queue.sendMessage(new byte[600], true, 0)).isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("sends while a write never completes")
			.isLessThan(Duration.ofSeconds(1));
		assertThat(listener.overflow.get()).contains("send buffer limit of 1000 bytes exceeded (1210 bytes");
		assertThat(queue.sendMessage(new byte[1], true, 0)).isFalse();
		assertThat(transport.frames).as("only the first was handed over").hasSize(1);
		transport.completeAll();
		assertThat(transport.frames).as("queued frames are dropped once the connection failed").hasSize(1);
	}

	@Test
	void aSingleMessageLargerThanTheLimitGoesOutWhenNothingIsHeld() {
		HeldTransport transport = new HeldTransport(true);
		OutboundQueue queue = queue(transport, new FailingListener(), 1000, null);
		assertThat(queue.sendMessage(new byte[5000], true, 0)).isTrue();
		transport.completeAll();
		assertThat(queue.sendMessage(new byte[5000], true, 0)).isTrue();
		assertThat(transport.frames).hasSize(2);
	}

	@Test
	void framesHeldBackForOneFlushAreFlushedBeforeThePeerIsJudged() {
		HeldTransport transport = new HeldTransport(true) {

			@Override
			public void flush() {
				completeAll();
			}

		};
		OutboundQueue queue = queue(transport, new FailingListener(), 1000, null);
		for (int i = 0; i < 10; i++) {
			assertThat(queue.sendMessage(new byte[600], true, 0)).isTrue();
		}
		assertThat(transport.frames).hasSize(10);
	}

	@Test
	void heldBytesCountAgainstTheBudgetInChunksAndComeBackOnceWritten() {
		HeldTransport transport = new HeldTransport(true);
		Budget budget = new Budget("outbound", Budget.UNLIMITED, null);
		OutboundQueue queue = queue(transport, new FailingListener(), NO_LIMIT, budget, null);
		for (int i = 0; i < 100; i++) {
			assertThat(queue.sendMessage(new byte[64], true, 0)).isTrue();
		}
		assertThat(queue.getHeld()).isEqualTo(6400);
		assertThat(budget.getInUse()).as("one chunk covers them: the shared budget was touched once")
			.isEqualTo(OutboundCredit.CHUNK);
		assertThat(queue.sendMessage(new byte[100_000], true, 0)).isTrue();
		assertThat(budget.getInUse()).isEqualTo(OutboundCredit.CHUNK + 100_000);
		transport.completeAll();
		assertThat(queue.getHeld()).isZero();
		assertThat(budget.getInUse()).as("nothing held: the credit goes back").isZero();
	}

	@Test
	void withATimerTheCreditOfAConnectionThatKeepsSendingGoesBackOnlyOnceItIsIdle() {
		HeldTransport transport = new HeldTransport(true);
		Budget budget = new Budget("outbound", Budget.UNLIMITED, null);
		OutboundQueue queue = queue(transport, new FailingListener(), NO_LIMIT, budget, this.timer);
		for (int i = 0; i < 1000; i++) {
			assertThat(queue.sendMessage(new byte[64], true, 0)).isTrue();
			transport.completeAll();
		}
		assertThat(queue.getHeld()).isZero();
		assertThat(budget.getInUse()).as("kept while the connection sends").isLessThanOrEqualTo(OutboundCredit.CHUNK);
		Awaitility.await("credit back").atMost(Duration.ofSeconds(10)).until(() -> budget.getInUse() == 0);
	}

	@Test
	void aSendTheBudgetRefusesFailsTheConnectionAndEverythingComesBack() {
		HeldTransport transport = new HeldTransport(false);
		RecordingListener listener = new RecordingListener();
		Budget application = new Budget("the application's outbound budget", 1000, null);
		Budget budget = new Budget("outbound", Budget.UNLIMITED, application);
		OutboundQueue queue = queue(transport, listener, NO_LIMIT, budget, null);
		assertThat(queue.sendMessage(new byte[10], true, 0)).isTrue();
		assertThat(queue.sendMessage(new byte[700], true, 0)).isTrue();
		assertThat(queue.sendMessage(new byte[291], true, 0)).as("the chunk is refused, not what is needed").isFalse();
		assertThat(listener.budgetAmount.get()).isEqualTo(291);
		assertThat(listener.budgetRefusedBy.get()).isSameAs(application);
		assertThat(application.getRefusals()).isEqualTo(1);
		assertThat(queue.sendMessage(new byte[1], true, 0)).isFalse();
		queue.discard();
		assertThat(application.getInUse()).as("given back at discard, frames still held included").isZero();
		transport.completeAll();
		assertThat(transport.frames).as("queued frames are dropped once the connection failed").hasSize(1);
		assertThat(application.getInUse()).isZero();
		assertThat(budget.getInUse()).isZero();
	}

	@Test
	void aWriteThatDoesNotCompleteWithinTheTimeLimitFailsTheConnection() {
		HeldTransport transport = new HeldTransport(false);
		RecordingListener listener = new RecordingListener();
		OutboundQueue queue = new OutboundQueue(transport, listener,
				new OutboundQueue.SendBounds(NO_LIMIT, NO_LIMIT, NO_LIMIT, TimeUnit.MILLISECONDS.toNanos(100)),
				new Budget("outbound", Budget.UNLIMITED, null), this.timer);
		long start = System.nanoTime();
		assertThat(queue.sendMessage(new byte[10], true, 0)).isTrue();
		Awaitility.await("the time limit").atMost(Duration.ofSeconds(10)).until(() -> listener.overflow.get() != null);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
		assertThat(listener.overflow.get()).contains("send time limit of 100 ms exceeded (no write completed for");
		assertThat(queue.sendMessage(new byte[1], true, 0)).isFalse();
	}

	@Test
	void writesThatKeepCompletingAreNotTooSlowHoweverLongTheyAllTake() throws Exception {
		HeldTransport transport = new HeldTransport(false);
		OutboundQueue queue = new OutboundQueue(transport, new FailingListener(),
				new OutboundQueue.SendBounds(NO_LIMIT, NO_LIMIT, NO_LIMIT, TimeUnit.MILLISECONDS.toNanos(200)),
				new Budget("outbound", Budget.UNLIMITED, null), this.timer);
		for (int i = 0; i < 20; i++) {
			assertThat(queue.sendMessage(new byte[10], true, 0)).isTrue();
		}
		for (int i = 0; i < 20; i++) {
			Thread.sleep(25);
			transport.completeAll();
		}
		assertThat(transport.frames).hasSize(20);
		assertThat(queue.getHeld()).isZero();
	}

	@Test
	void pastTheHighWaterMarkTheConnectionIsNotWritableUntilItDrainsToTheLowOne() {
		HeldTransport transport = new HeldTransport(true);
		RecordingListener listener = new RecordingListener();
		OutboundQueue queue = new OutboundQueue(transport, listener,
				new OutboundQueue.SendBounds(10_000, 1000, 300, NO_LIMIT),
				new Budget("outbound", Budget.UNLIMITED, null), null);
		int sent = 0;
		while (queue.isWritable()) {
			assertThat(queue.sendMessage(new byte[100], true, 0)).isTrue();
			sent++;
		}
		assertThat(sent).as("sends until past the high-water mark").isEqualTo(11);
		assertThat(queue.sendMessage(new byte[100], true, 0)).as("a send while not writable still goes").isTrue();
		transport.complete(8);
		assertThat(queue.getHeld()).isEqualTo(400);
		assertThat(queue.isWritable()).isFalse();
		assertThat(listener.writable.get()).isZero();
		transport.complete(1);
		assertThat(queue.isWritable()).isTrue();
		assertThat(listener.writable.get()).isEqualTo(1);
		transport.completeAll();
		assertThat(listener.writable.get()).as("once per time past the high-water mark").isEqualTo(1);
	}

	@Test
	void aFailedCompletionFailsTheConnectionAndLaterSendsFail() {
		HeldTransport transport = new HeldTransport(false);
		RecordingListener listener = new RecordingListener();
		OutboundQueue queue = queue(transport, listener, NO_LIMIT, null);
		assertThat(queue.sendMessage(new byte[1], true, 0)).isTrue();
		assertThat(queue.sendMessage(new byte[2], true, 0)).isTrue();
		transport.fail(new IOException("broken pipe"));
		assertThat(listener.writeFailure.get()).hasMessage("broken pipe");
		assertThat(queue.sendMessage(new byte[1], true, 0)).isFalse();
		assertThat(queue.getHeld()).isZero();
	}

	@Test
	void aWriteTheTransportRefusesFailsTheConnection() {
		RecordingListener listener = new RecordingListener();
		Budget budget = new Budget("outbound", Budget.UNLIMITED, null);
		OutboundQueue queue = queue(new RecordingTransport(false, null) {
			@Override
			public void sendBinary(ByteBuffer data, boolean last, Completion completion) throws IOException {
				throw new IOException("broken pipe");
			}
		}, listener, NO_LIMIT, budget, null);
		assertThat(queue.send(OutboundQueue.Outgoing.message(new byte[1], true, 0))).isFalse();
		assertThat(listener.writeFailure.get()).hasMessage("broken pipe");
		assertThat(queue.sendMessage(new byte[1], true, 0)).isFalse();
		assertThat(queue.getHeld()).isZero();
		assertThat(budget.getInUse()).isZero();
	}

	@Test
	void aPreparedMessageCountsOnceAgainstTheBudgetHoweverManyConnectionsHoldIt() {
		Budget application = new Budget("the application's outbound budget", Budget.UNLIMITED, null);
		SharedMessage message = SharedMessage.of(new byte[10_000], true, application);
		List<HeldTransport> transports = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			HeldTransport transport = new HeldTransport(false);
			transports.add(transport);
			OutboundQueue queue = queue(transport, new RecordingListener(), NO_LIMIT,
					new Budget("endpoint", Budget.UNLIMITED, application), null);
			assertThat(queue.send(OutboundQueue.Outgoing.shared(message))).isTrue();
			assertThat(queue.getHeld()).as("each connection's own bounds count it whole").isEqualTo(10_000);
		}
		assertThat(application.getInUse()).isEqualTo(10_000);
		for (int i = 0; i < 9; i++) {
			transports.get(i).completeAll();
		}
		assertThat(application.getInUse()).isEqualTo(10_000);
		transports.get(9).fail(new IOException("gone"));
		assertThat(application.getInUse()).isZero();
		assertThat(transports).allSatisfy((transport) -> assertThat(transport.shared).containsExactly(message));
	}

	private static OutboundQueue queue(Transport transport, OutboundQueue.Listener listener, long sizeLimit,
			@Nullable ScheduledExecutorService timer) {
		return queue(transport, listener, sizeLimit, new Budget("outbound", Budget.UNLIMITED, null), timer);
	}

	private static OutboundQueue queue(Transport transport, OutboundQueue.Listener listener, long sizeLimit,
			Budget budget, @Nullable ScheduledExecutorService timer) {
		return new OutboundQueue(transport, listener,
				new OutboundQueue.SendBounds(sizeLimit, sizeLimit, sizeLimit, TimeUnit.SECONDS.toNanos(10)), budget,
				timer);
	}

	/**
	 * Records every frame; completes it at once, or on an executor after a random short
	 * delay; counts the frames handed over while a serial write was still being written.
	 */
	static class RecordingTransport implements Transport {

		final List<String> fragments = new ArrayList<>();

		final AtomicInteger overlapping = new AtomicInteger();

		private final List<String> messages = new ArrayList<>();

		private final StringBuilder current = new StringBuilder();

		private final boolean buffered;

		private final @Nullable ExecutorService completions;

		private volatile boolean inWrite;

		RecordingTransport(boolean buffered, @Nullable ExecutorService completions) {
			this.buffered = buffered;
			this.completions = completions;
		}

		@Override
		public boolean buffersWrites() {
			return this.buffered;
		}

		@Override
		public void sendText(ByteBuffer utf8, boolean last, Completion completion) {
			if (this.inWrite) {
				this.overlapping.incrementAndGet();
			}
			this.inWrite = !this.buffered;
			int length = utf8.remaining();
			String text = StandardCharsets.UTF_8.decode(utf8).toString();
			synchronized (this) {
				this.fragments.add(text);
				this.current.append(text);
				if (last) {
					this.messages.add(this.current.toString());
					this.current.setLength(0);
				}
			}
			ExecutorService completions = this.completions;
			if (completions == null || ThreadLocalRandom.current().nextInt(4) == 0) {
				complete(length, completion);
			}
			else {
				completions.execute(() -> complete(length, completion));
			}
		}

		private void complete(int length, Completion completion) {
			this.inWrite = false;
			completion.written(length);
		}

		synchronized List<String> messages() {
			return new ArrayList<>(this.messages);
		}

		@Override
		public void sendBinary(ByteBuffer data, boolean last, Completion completion) throws IOException {
			completion.written(data.remaining());
		}

		@Override
		public void sendPing(ByteBuffer payload, Completion completion) {
			completion.written(payload.remaining());
		}

		@Override
		public void sendPong(ByteBuffer payload, Completion completion) {
			completion.written(payload.remaining());
		}

		@Override
		public void close(@Nullable Integer code, @Nullable String reason, Completion completion) {
			completion.written(0);
		}

		@Override
		public void abort() {
		}

		@Override
		public @Nullable String getSubprotocol() {
			return null;
		}

		@Override
		public List<String> getExtensions() {
			return List.of();
		}

	}

	/**
	 * Holds every frame's completion until the test completes it, as a peer that reads
	 * when told.
	 */
	static class HeldTransport extends RecordingTransport {

		final List<Integer> frames = new ArrayList<>();

		final List<SharedMessage> shared = new ArrayList<>();

		private final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();

		private final ConcurrentLinkedQueue<Consumer<Throwable>> failures = new ConcurrentLinkedQueue<>();

		HeldTransport(boolean buffered) {
			super(buffered, null);
		}

		@Override
		public void sendBinary(ByteBuffer data, boolean last, Completion completion) {
			int length = data.remaining();
			this.frames.add(length);
			this.held.add(() -> completion.written(length));
			this.failures.add((failure) -> completion.failed(length, failure));
		}

		@Override
		public void sendShared(SharedMessage message, Completion completion) {
			this.shared.add(message);
			this.held.add(() -> completion.written(message.size()));
			this.failures.add((failure) -> completion.failed(message.size(), failure));
		}

		void complete(int count) {
			for (int i = 0; i < count; i++) {
				this.failures.poll();
				Runnable next = this.held.poll();
				if (next == null) {
					return;
				}
				next.run();
			}
		}

		void completeAll() {
			complete(Integer.MAX_VALUE / 2);
		}

		void fail(Throwable failure) {
			Consumer<Throwable> next;
			while ((next = this.failures.poll()) != null) {
				this.held.poll();
				next.accept(failure);
			}
		}

	}

	static class RecordingListener implements OutboundQueue.Listener {

		final AtomicReference<String> overflow = new AtomicReference<>();

		final AtomicReference<IOException> writeFailure = new AtomicReference<>();

		final AtomicReference<Budget> budgetRefusedBy = new AtomicReference<>();

		final AtomicReference<Long> budgetAmount = new AtomicReference<>();

		final AtomicInteger writable = new AtomicInteger();

		@Override
		public void sendOverflow(String reason) {
			this.overflow.set(reason);
		}

		@Override
		public void outboundBudgetExceeded(Budget refusedBy, long amount) {
			this.budgetRefusedBy.set(refusedBy);
			this.budgetAmount.set(amount);
		}

		@Override
		public void writeFailed(IOException failure) {
			this.writeFailure.set(failure);
		}

		@Override
		public void writable() {
			this.writable.incrementAndGet();
		}

	}

	static class FailingListener implements OutboundQueue.Listener {

		@Override
		public void sendOverflow(String reason) {
			throw new AssertionError(reason);
		}

		@Override
		public void outboundBudgetExceeded(Budget refusedBy, long amount) {
			throw new AssertionError(refusedBy);
		}

		@Override
		public void writeFailed(IOException failure) {
			throw new AssertionError(failure);
		}

	}

}
