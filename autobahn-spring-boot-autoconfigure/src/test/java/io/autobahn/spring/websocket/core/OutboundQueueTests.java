package io.autobahn.spring.websocket.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutboundQueue} against an in-memory transport: concurrent senders never
 * interleave frames and keep their own order, and the queue's byte and time bounds fail the
 * connection instead of blocking or growing. Queued bytes count against the shared outbound
 * budget while they wait, a send the budget refuses fails the connection, and every
 * reserved byte comes back once frames are written or dropped.
 */
class OutboundQueueTests {

	@Test
	void concurrentSendersNeverInterleaveFramesAndKeepTheirOrder() throws Exception {
		RecordingTransport transport = new RecordingTransport();
		OutboundQueue queue = new OutboundQueue(transport, new FailingListener(), Long.MAX_VALUE, Long.MAX_VALUE);
		int threads = 8;
		int messages = 2_000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CyclicBarrier start = new CyclicBarrier(threads);
		List<Future<?>> results = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			results.add(executor.submit(() -> {
				start.await();
				for (int i = 0; i < messages; i++) {
					byte[] payload = (thread + ":" + i + ":" + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
					assertThat(queue.send(OutboundQueue.Outgoing.message(payload, false, 4))).isTrue();
				}
				return null;
			}));
		}
		for (Future<?> result : results) {
			result.get(30, TimeUnit.SECONDS);
		}
		executor.shutdown();
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
	}

	@Test
	void textFragmentsEndOnCodePointBoundaries() {
		RecordingTransport transport = new RecordingTransport();
		OutboundQueue queue = new OutboundQueue(transport, new FailingListener(), Long.MAX_VALUE, Long.MAX_VALUE);
		String text = "ééé😀😀ab";
		queue.send(OutboundQueue.Outgoing.message(text.getBytes(StandardCharsets.UTF_8), false, 3));
		assertThat(transport.messages()).containsExactly(text);
		assertThat(transport.fragments).allSatisfy((fragment) -> assertThat(fragment).doesNotContain("\uFFFD"));
		assertThat(transport.fragments.size()).isGreaterThan(3);
	}

	@Test
	void queuePastItsByteLimitFailsTheConnectionWithoutBlockingTheSender() throws Exception {
		BlockingTransport transport = new BlockingTransport();
		RecordingListener listener = new RecordingListener();
		OutboundQueue queue = new OutboundQueue(transport, listener, 1000, Long.MAX_VALUE);
		Thread writer = new Thread(() -> queue.send(OutboundQueue.Outgoing.message(new byte[10], true, 0)));
		writer.start();
		assertThat(transport.writing.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(queue.send(OutboundQueue.Outgoing.message(new byte[600], true, 0))).isTrue();
		assertThat(queue.send(OutboundQueue.Outgoing.message(new byte[600], true, 0))).isFalse();
		assertThat(listener.overflow.get()).contains("send buffer limit of 1000 bytes exceeded");
		assertThat(queue.send(OutboundQueue.Outgoing.message(new byte[1], true, 0))).isFalse();
		transport.release.countDown();
		writer.join(5000);
		assertThat(transport.written).as("queued frames are dropped once the connection failed").isEqualTo(1);
	}

	@Test
	void queuedBytesCountAgainstTheBudgetUntilTheyAreWritten() throws Exception {
		BlockingTransport transport = new BlockingTransport();
		Budget budget = new Budget("outbound", Budget.UNLIMITED, null);
		OutboundQueue queue = new OutboundQueue(transport, new FailingListener(), Long.MAX_VALUE, Long.MAX_VALUE,
				budget);
		Thread writer = new Thread(() -> queue.send(OutboundQueue.Outgoing.message(new byte[10], true, 0)));
		writer.start();
		assertThat(transport.writing.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(budget.getInUse()).as("the write in progress is the caller's, not queued").isZero();
		assertThat(queue.send(OutboundQueue.Outgoing.message(new byte[600], true, 0))).isTrue();
		assertThat(queue.send(OutboundQueue.Outgoing.message(new byte[400], true, 0))).isTrue();
		assertThat(budget.getInUse()).isEqualTo(1000);
		transport.release.countDown();
		writer.join(5000);
		assertThat(transport.written).isEqualTo(3);
		assertThat(budget.getInUse()).isZero();
	}

	@Test
	void aSendTheBudgetRefusesFailsTheConnectionAndTheQueuedBytesComeBack() throws Exception {
		BlockingTransport transport = new BlockingTransport();
		RecordingListener listener = new RecordingListener();
		Budget application = new Budget("the application's outbound budget", 1000, null);
		Budget budget = new Budget("outbound", Budget.UNLIMITED, application);
		OutboundQueue queue = new OutboundQueue(transport, listener, Long.MAX_VALUE, Long.MAX_VALUE, budget);
		Thread writer = new Thread(() -> queue.send(OutboundQueue.Outgoing.message(new byte[10], true, 0)));
		writer.start();
		assertThat(transport.writing.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(queue.send(OutboundQueue.Outgoing.message(new byte[700], true, 0))).isTrue();
		assertThat(queue.send(OutboundQueue.Outgoing.message(new byte[301], true, 0))).isFalse();
		assertThat(listener.budgetAmount.get()).isEqualTo(301);
		assertThat(listener.budgetRefusedBy.get()).isSameAs(application);
		assertThat(application.getRefusals()).isEqualTo(1);
		assertThat(queue.send(OutboundQueue.Outgoing.message(new byte[1], true, 0))).isFalse();
		queue.discard();
		transport.release.countDown();
		writer.join(5000);
		assertThat(transport.written).as("queued frames are dropped once the connection failed").isEqualTo(1);
		assertThat(application.getInUse()).isZero();
		assertThat(budget.getInUse()).isZero();
	}

	@Test
	void aTransportRefusedByTheBudgetFailsTheConnectionThroughTheBudgetHook() {
		RecordingListener listener = new RecordingListener();
		Budget budget = new Budget("outbound", 5, null);
		OutboundQueue queue = new OutboundQueue(new RecordingTransport() {
			@Override
			public void sendBinary(ByteBuffer data, boolean last) throws IOException {
				throw new OutboundBudgetExceededException(budget, data.remaining());
			}
		}, listener, Long.MAX_VALUE, Long.MAX_VALUE, budget);
		assertThat(queue.send(OutboundQueue.Outgoing.message(new byte[9], true, 0))).isFalse();
		assertThat(listener.budgetAmount.get()).isEqualTo(9);
		assertThat(listener.budgetRefusedBy.get()).isSameAs(budget);
		assertThat(listener.overflow.get()).isNull();
	}

	@Test
	void writeInProgressPastTheTimeLimitFailsTheConnection() throws Exception {
		BlockingTransport transport = new BlockingTransport();
		RecordingListener listener = new RecordingListener();
		OutboundQueue queue = new OutboundQueue(transport, listener, Long.MAX_VALUE, TimeUnit.MILLISECONDS.toNanos(50));
		Thread writer = new Thread(() -> queue.send(OutboundQueue.Outgoing.message(new byte[10], true, 0)));
		writer.start();
		assertThat(transport.writing.await(5, TimeUnit.SECONDS)).isTrue();
		Thread.sleep(100);
		assertThat(queue.send(OutboundQueue.Outgoing.message(new byte[1], true, 0))).isFalse();
		assertThat(listener.overflow.get()).contains("send time limit of 50 ms");
		transport.release.countDown();
		writer.join(5000);
	}

	@Test
	void failedWriteIsReportedAndLaterSendsFail() {
		RecordingListener listener = new RecordingListener();
		OutboundQueue queue = new OutboundQueue(new RecordingTransport() {
			@Override
			public void sendBinary(ByteBuffer data, boolean last) throws IOException {
				throw new IOException("broken pipe");
			}
		}, listener, Long.MAX_VALUE, Long.MAX_VALUE);
		assertThat(queue.send(OutboundQueue.Outgoing.message(new byte[1], true, 0))).isFalse();
		assertThat(listener.writeFailure.get()).hasMessage("broken pipe");
		assertThat(queue.send(OutboundQueue.Outgoing.message(new byte[1], true, 0))).isFalse();
	}

	static class RecordingTransport implements Transport {

		final List<String> fragments = new ArrayList<>();

		private final List<String> messages = new ArrayList<>();

		private final StringBuilder current = new StringBuilder();

		private volatile boolean inWrite;

		@Override
		public void sendText(String text, boolean last) {
			enter();
			this.fragments.add(text);
			this.current.append(text);
			if (last) {
				this.messages.add(this.current.toString());
				this.current.setLength(0);
			}
			this.inWrite = false;
		}

		private void enter() {
			assertThat(this.inWrite).as("two writes at once").isFalse();
			this.inWrite = true;
		}

		synchronized List<String> messages() {
			return this.messages;
		}

		@Override
		public void sendBinary(ByteBuffer data, boolean last) throws IOException {
		}

		@Override
		public void sendPing(ByteBuffer payload) {
		}

		@Override
		public void sendPong(ByteBuffer payload) {
		}

		@Override
		public void close(@Nullable Integer code, @Nullable String reason) {
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

	static class BlockingTransport extends RecordingTransport {

		final CountDownLatch writing = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		volatile int written;

		@Override
		public void sendBinary(ByteBuffer data, boolean last) throws IOException {
			this.written++;
			this.writing.countDown();
			try {
				this.release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				throw new IOException(ex);
			}
		}

	}

	static class RecordingListener implements OutboundQueue.Listener {

		final AtomicReference<String> overflow = new AtomicReference<>();

		final AtomicReference<IOException> writeFailure = new AtomicReference<>();

		final AtomicReference<Budget> budgetRefusedBy = new AtomicReference<>();

		final AtomicReference<Long> budgetAmount = new AtomicReference<>();

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
