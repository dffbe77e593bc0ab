package io.autobahn.spring.websocket.core;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * Serializes one connection's writes so that any thread may send. The thread that finds
 * the connection idle writes directly, with no queueing and two atomic operations; threads
 * arriving while a write is in progress queue their frames and return at once, and the
 * writing thread drains the queue before it leaves. A message's frames are written by one
 * thread in one go, so frames of two messages never interleave.
 * <p>
 * It owns the send bounds, on every stack: {@code send-buffer-size-limit} (the bytes queued
 * here, and the bytes a non-blocking transport has taken over and not yet written) and
 * {@code send-time-limit} (how long the write in progress has taken, or how long a
 * non-blocking transport has written nothing). Past either bound the connection is failed.
 * The bytes of every queued frame are also reserved from the endpoint's outbound
 * {@link Budget}, which all connections share, while they wait; a reservation it refuses
 * fails the connection too. A failure is reported one way, to the {@link Listener}, which
 * drops the connection; {@link #send} only says whether the frames went out or were queued.
 * <p>
 * One per connection, so it is kept small: the counters are fields updated through
 * {@link VarHandle}s rather than atomics of their own, and the queue is only created the
 * first time a send finds a write in progress (most connections never see that).
 * <p>
 * Over this project's usual length because it holds its frame types too ({@link Outgoing}:
 * a message cut into fragments on code point boundaries, control frames, the close frame),
 * which exist only to be queued here.
 */
final class OutboundQueue {

	private static final VarHandle WIP;

	private static final VarHandle QUEUED_BYTES;

	private static final VarHandle QUEUE;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			WIP = lookup.findVarHandle(OutboundQueue.class, "wip", int.class);
			QUEUED_BYTES = lookup.findVarHandle(OutboundQueue.class, "queuedBytes", long.class);
			QUEUE = lookup.findVarHandle(OutboundQueue.class, "queue", Queue.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final Transport transport;

	private final Listener listener;

	private final long sizeLimit;

	private final long timeLimitNanos;

	private final Budget budget;

	/** Sends in progress or waiting; the thread that takes it from 0 writes. */
	private volatile int wip;

	private volatile @Nullable Queue<Outgoing> queue;

	private volatile long queuedBytes;

	private volatile long writeStartNanos;

	private volatile boolean failed;

	// Only touched by the writing thread: what a non-blocking transport has written so far.

	/** Payload bytes handed to the transport. */
	private long handedOver;

	/** Bytes the transport had written as of the previous write. */
	private long written;

	private long lastProgressNanos = System.nanoTime();

	OutboundQueue(Transport transport, Listener listener, long sizeLimit, long timeLimitNanos) {
		this(transport, listener, sizeLimit, timeLimitNanos, EndpointBudgets.unlimited("none").getOutbound());
	}

	OutboundQueue(Transport transport, Listener listener, long sizeLimit, long timeLimitNanos, Budget budget) {
		this.transport = transport;
		this.listener = listener;
		this.sizeLimit = sizeLimit;
		this.timeLimitNanos = timeLimitNanos;
		this.budget = budget;
	}

	/**
	 * Write the frames now, or queue them behind the write in progress.
	 * @param outgoing the frames of one message or control frame
	 * @return whether they were written or queued; {@code false} when the connection had
	 * failed before, or failed on them (the listener has been told why)
	 */
	boolean send(Outgoing outgoing) {
		if (this.failed) {
			return false;
		}
		if (this.wip == 0 && WIP.compareAndSet(this, 0, 1)) {
			boolean written = write(outgoing);
			drain(1);
			return written;
		}
		Budget refusedBy = this.budget.tryReserve(outgoing.size());
		if (refusedBy != null) {
			this.failed = true;
			this.listener.outboundBudgetExceeded(refusedBy, outgoing.size());
			return false;
		}
		long queued = (long) QUEUED_BYTES.getAndAdd(this, (long) outgoing.size()) + outgoing.size();
		// Released by whichever thread drains it: the writer, or discard() once the connection fails.
		queue().offer(outgoing);
		String overflow = checkQueueBounds(queued);
		if (overflow != null) {
			this.failed = true;
			this.listener.sendOverflow(overflow);
			return false;
		}
		if ((int) WIP.getAndAdd(this, 1) == 0) {
			drain(1);
		}
		return true;
	}

	/**
	 * Drop everything queued; later sends fail.
	 */
	void discard() {
		this.failed = true;
		if ((int) WIP.getAndAdd(this, 1) == 0) {
			drain(1);
		}
	}

	private Queue<Outgoing> queue() {
		Queue<Outgoing> queue = this.queue;
		if (queue != null) {
			return queue;
		}
		Queue<Outgoing> created = new ConcurrentLinkedQueue<>();
		@SuppressWarnings("unchecked")
		Queue<Outgoing> existing = (Queue<Outgoing>) QUEUE.compareAndExchange(this, null, created);
		return (existing != null) ? existing : created;
	}

	/** The bounds of the frames queued behind the write in progress. */
	private @Nullable String checkQueueBounds(long queued) {
		if (queued > this.sizeLimit) {
			return "send buffer limit of " + this.sizeLimit + " bytes exceeded (" + queued + " bytes queued)";
		}
		long start = this.writeStartNanos;
		if (start != 0) {
			long elapsed = System.nanoTime() - start;
			if (elapsed > this.timeLimitNanos) {
				return "send time limit of " + (this.timeLimitNanos / 1_000_000) + " ms exceeded (current write started "
						+ (elapsed / 1_000_000) + " ms ago)";
			}
		}
		return null;
	}

	private void drain(int missed) {
		for (;;) {
			// Read on every pass: a sender creates the queue and offers before it increments
			// wip, so the pass after its increment sees the queue.
			Queue<Outgoing> queue = this.queue;
			if (queue != null) {
				Outgoing next;
				while ((next = queue.poll()) != null) {
					QUEUED_BYTES.getAndAdd(this, (long) -next.size());
					this.budget.release(next.size());
					if (!this.failed) {
						write(next);
					}
				}
			}
			missed = (int) WIP.getAndAdd(this, -missed) - missed;
			if (missed == 0) {
				return;
			}
		}
	}

	/**
	 * The bounds of what a non-blocking transport holds, checked by the writing thread
	 * before it hands over more: nothing is judged while the transport holds nothing (a
	 * single message larger than the limit goes out), and held-back writes are flushed
	 * before the peer is judged too slow.
	 */
	private @Nullable String checkUnwritten(int size, long now) {
		long pending = this.transport.unwrittenBytes();
		if (pending > 0 && pending + size > this.sizeLimit) {
			this.transport.flush();
			pending = this.transport.unwrittenBytes();
		}
		long writtenNow = this.handedOver - pending;
		if (pending == 0 || writtenNow > this.written) {
			this.lastProgressNanos = now;
		}
		this.written = writtenNow;
		if (pending == 0) {
			return null;
		}
		if (pending + size > this.sizeLimit) {
			return "send buffer limit of " + this.sizeLimit + " bytes exceeded (" + (pending + size)
					+ " bytes not yet written)";
		}
		long stalled = now - this.lastProgressNanos;
		if (stalled > this.timeLimitNanos) {
			return "send time limit of " + (this.timeLimitNanos / 1_000_000) + " ms exceeded (no write completed for "
					+ (stalled / 1_000_000) + " ms)";
		}
		return null;
	}

	private boolean write(Outgoing outgoing) {
		long now = System.nanoTime();
		String overflow = checkUnwritten(outgoing.size(), now);
		if (overflow != null) {
			this.failed = true;
			this.listener.sendOverflow(overflow);
			return false;
		}
		this.writeStartNanos = now;
		try {
			outgoing.writeTo(this.transport);
			this.handedOver += outgoing.size();
			return true;
		}
		catch (IOException | RuntimeException ex) {
			this.failed = true;
			IOException failure = (ex instanceof IOException io) ? io : new IOException(ex.getMessage(), ex);
			long elapsed = System.nanoTime() - this.writeStartNanos;
			if (failure instanceof OutboundBudgetExceededException exceeded) {
				// A non-blocking transport's own buffer would have passed the shared budget.
				this.listener.outboundBudgetExceeded(exceeded.getRefusedBy(), exceeded.getAmount());
			}
			else if (elapsed >= this.timeLimitNanos || isTimeout(failure)) {
				// The stack gave up on a write the peer did not read: a slow peer, not a broken one.
				this.listener.sendOverflow("send time limit of " + (this.timeLimitNanos / 1_000_000)
						+ " ms exceeded (write failed after " + (elapsed / 1_000_000) + " ms: " + failure.getMessage()
						+ ")");
			}
			else {
				this.listener.writeFailed(failure);
			}
			return false;
		}
		finally {
			this.writeStartNanos = 0;
		}
	}

	private static boolean isTimeout(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Told, once, why the connection can no longer send: the one path of a send failure.
	 */
	interface Listener {

		/**
		 * The queue passed one of its bounds.
		 * @param reason which one, for the log
		 */
		void sendOverflow(String reason);

		/**
		 * The endpoint's or the application's outbound budget refused the bytes of a frame
		 * that would have waited: the connection is failed like for an overflow.
		 * @param refusedBy the budget that refused
		 * @param amount the bytes it refused
		 */
		void outboundBudgetExceeded(Budget refusedBy, long amount);

		/**
		 * A write failed: the connection is broken.
		 * @param failure the cause
		 */
		void writeFailed(IOException failure);

	}

	/**
	 * The frames of one outgoing message or control frame.
	 */
	abstract static class Outgoing {

		abstract int size();

		abstract void writeTo(Transport transport) throws IOException;

		static Outgoing message(byte[] payload, boolean isBinary, int fragmentSize) {
			return new Message(payload, isBinary, fragmentSize);
		}

		static Outgoing ping(byte[] payload) {
			return new Control(payload, true);
		}

		static Outgoing pong(byte[] payload) {
			return new Control(payload, false);
		}

		static Outgoing close(@Nullable Integer code, @Nullable String reason) {
			return new Close(code, reason);
		}

	}

	private static final class Message extends Outgoing {

		private final byte[] payload;

		private final boolean binary;

		private final int fragmentSize;

		Message(byte[] payload, boolean binary, int fragmentSize) {
			this.payload = payload;
			this.binary = binary;
			this.fragmentSize = fragmentSize;
		}

		@Override
		int size() {
			return this.payload.length;
		}

		@Override
		void writeTo(Transport transport) throws IOException {
			int length = this.payload.length;
			if (this.fragmentSize <= 0 || length <= this.fragmentSize) {
				if (this.binary) {
					transport.sendBinary(ByteBuffer.wrap(this.payload), true);
				}
				else {
					transport.sendText(this.payload, 0, length, true);
				}
				return;
			}
			int start = 0;
			while (start < length) {
				int end = Math.min(start + this.fragmentSize, length);
				if (this.binary) {
					transport.sendBinary(ByteBuffer.wrap(this.payload, start, end - start), end == length);
				}
				else {
					end = codePointBoundary(end, start, length);
					transport.sendText(this.payload, start, end - start, end == length);
				}
				start = end;
			}
		}

		/**
		 * Move a fragment end off the middle of a UTF-8 sequence: every text frame must be
		 * valid UTF-8 on its own for containers that take text frames as strings.
		 */
		private int codePointBoundary(int end, int start, int length) {
			int boundary = end;
			while (boundary < length && boundary > start && (this.payload[boundary] & 0xC0) == 0x80) {
				boundary--;
			}
			if (boundary == start) {
				// A fragment smaller than one code point: take the whole code point.
				boundary = end;
				while (boundary < length && (this.payload[boundary] & 0xC0) == 0x80) {
					boundary++;
				}
			}
			return boundary;
		}

	}

	private static final class Control extends Outgoing {

		private final byte[] payload;

		private final boolean ping;

		Control(byte[] payload, boolean ping) {
			this.payload = payload;
			this.ping = ping;
		}

		@Override
		int size() {
			return this.payload.length;
		}

		@Override
		void writeTo(Transport transport) throws IOException {
			if (this.ping) {
				transport.sendPing(ByteBuffer.wrap(this.payload));
			}
			else {
				transport.sendPong(ByteBuffer.wrap(this.payload));
			}
		}

	}

	private static final class Close extends Outgoing {

		private final @Nullable Integer code;

		private final @Nullable String reason;

		Close(@Nullable Integer code, @Nullable String reason) {
			this.code = code;
			this.reason = reason;
		}

		@Override
		int size() {
			return 0;
		}

		@Override
		void writeTo(Transport transport) throws IOException {
			transport.close(this.code, this.reason);
		}

	}

}
