package io.autobahn.spring.websocket.core;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * Serializes one connection's writes so that any thread may send, and no sender ever
 * waits for the network. The thread that finds the connection idle hands its frames to
 * the {@link Transport} itself, with no queueing and two atomic operations on this
 * connection's own counters; a frame the transport cannot take at once (its previous
 * write has not completed, on a stack that writes one frame at a time) is queued, and the
 * thread that runs the transport's completion writes the next. Threads arriving while
 * another one writes queue their frames and return at once. A message's frames are handed
 * over in order with none of another message's in between, and the sends of one thread
 * keep their order.
 * <p>
 * It owns the send bounds, on every stack. It counts each send's bytes from the send
 * until the transport's completion says they are written ({@link #getHeld()}):
 * <ul>
 * <li>past {@code send-buffer-size-limit} the send that passed it fails the connection (a
 * send while nothing is held goes out whatever its size);</li>
 * <li>once a send takes them past the high-water mark, {@link #isWritable()} says no
 * until they drain to the low-water mark, when the {@link Listener} hears
 * {@code writable()} (Autobahn's producer pausing and resuming);</li>
 * <li>a timer looks, while anything is held, whether a write completed within
 * {@code send-time-limit}, and fails the connection otherwise (nobody waits on a
 * write);</li>
 * <li>the bytes count against the endpoint's and the application's outbound
 * {@link Budget} through the connection's {@link OutboundCredit}; a prepared message's
 * shared bytes count once against the application's, however many connections hold them
 * ({@link SharedMessage}).</li>
 * </ul>
 * A failure is reported one way, once, to the {@link Listener}, which drops the
 * connection; {@link #send} only says whether the frames were taken.
 * <p>
 * One per connection, so it is kept small: the counters are fields updated through
 * {@link VarHandle}s rather than atomics of their own, and the queue is only created the
 * first time a send finds a write in progress. Over this project's usual length because
 * it holds its frame types too ({@link Outgoing}: a message cut into fragments on code
 * point boundaries, a shared message, a message sent in parts, control frames, the close
 * frame), which exist only to be queued here.
 * <p>
 * A message sent in parts ({@code beginMessage}) is queued like any other at its begin;
 * its frames come later, each admitted against the bounds like a send, and while it is
 * being written and has no frame ready, the writer leaves it: what is queued behind it
 * waits until its sender sends the next frame or ends it, except control frames at the
 * head of the queue, which may go out between its frames (a close frame drops the rest of
 * it).
 */
final class OutboundQueue implements Transport.Completion {

	private static final VarHandle WIP;

	private static final VarHandle QUEUE;

	private static final VarHandle HELD;

	private static final VarHandle FAILED;

	private static final VarHandle AWAITING;

	private static final VarHandle UNWRITABLE;

	private static final VarHandle WATCHED;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			WIP = lookup.findVarHandle(OutboundQueue.class, "wip", int.class);
			QUEUE = lookup.findVarHandle(OutboundQueue.class, "queue", Queue.class);
			HELD = lookup.findVarHandle(OutboundQueue.class, "held", long.class);
			FAILED = lookup.findVarHandle(OutboundQueue.class, "failed", boolean.class);
			AWAITING = lookup.findVarHandle(OutboundQueue.class, "awaiting", boolean.class);
			UNWRITABLE = lookup.findVarHandle(OutboundQueue.class, "unwritable", boolean.class);
			WATCHED = lookup.findVarHandle(OutboundQueue.class, "watched", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final Transport transport;

	private final Listener listener;

	private final SendBounds bounds;

	private final OutboundCredit credit;

	/** The budget a prepared message's shared bytes count against, when it is its own. */
	private final Budget sharedBudget;

	private final @Nullable ScheduledExecutorService timer;

	/**
	 * Whether the transport takes one frame at a time: the next waits for a completion.
	 */
	private final boolean serial;

	/**
	 * Sends in progress or waiting, and completions to act on; the thread that takes it
	 * from 0 writes.
	 */
	private volatile int wip;

	private volatile @Nullable Queue<Outgoing> queue;

	/**
	 * Bytes sent and not yet written: queued, being written, or held by the transport.
	 */
	private volatile long held;

	private volatile boolean failed;

	/**
	 * The transport has a frame it has not completed, and takes no other until it has.
	 */
	private volatile boolean awaiting;

	private volatile boolean unwritable;

	/** Whether the time-limit check is scheduled. */
	private volatile boolean watched;

	/** Changes with every completion: the time-limit check looks whether it did. */
	private volatile int completions;

	/**
	 * The message being written, when it has frames left; only touched by the writing
	 * thread.
	 */
	private @Nullable Outgoing current;

	// Only touched by the time-limit check (the timer) and by whoever schedules it.

	private int watchedCompletions;

	private long progressNanos;

	OutboundQueue(Transport transport, Listener listener, SendBounds bounds, Budget budget,
			@Nullable ScheduledExecutorService timer) {
		this.transport = transport;
		this.listener = listener;
		this.bounds = bounds;
		this.credit = new OutboundCredit(budget);
		this.sharedBudget = budget.getRoot();
		this.timer = timer;
		this.serial = !transport.buffersWrites();
	}

	/**
	 * Send a message: write it now, or queue it behind the write in progress. The common
	 * case (one frame, an idle connection) allocates nothing here.
	 * @param payload the payload, the transport's until written
	 * @param isBinary whether it is binary
	 * @param fragmentSize the largest frame payload, or {@code 0} for one frame
	 * @return whether it was taken; {@code false} when the connection had failed before,
	 * or failed on it (the listener has been told why)
	 */
	boolean sendMessage(byte[] payload, boolean isBinary, int fragmentSize) {
		if (fragmentSize > 0 && payload.length > fragmentSize) {
			return send(Outgoing.message(payload, isBinary, fragmentSize));
		}
		if (this.failed) {
			return false;
		}
		if (this.wip == 0 && WIP.compareAndSet(this, 0, 1)) {
			boolean taken = admit(payload.length, null);
			if (taken) {
				if (isIdle()) {
					taken = writeWhole(payload, isBinary);
				}
				else {
					queue().offer(Outgoing.message(payload, isBinary, 0));
				}
			}
			drain(1);
			return taken;
		}
		return send(Outgoing.message(payload, isBinary, 0));
	}

	/**
	 * Send the frames of one message or control frame: write them now, or queue them
	 * behind the write in progress.
	 * @param outgoing the frames
	 * @return whether they were taken; {@code false} when the connection had failed
	 * before, or failed on them (the listener has been told why)
	 */
	boolean send(Outgoing outgoing) {
		if (this.failed) {
			return false;
		}
		if (!admit(outgoing.size(), outgoing)) {
			return false;
		}
		if (this.wip == 0 && WIP.compareAndSet(this, 0, 1)) {
			boolean taken = true;
			if (isIdle()) {
				this.current = outgoing;
				taken = writeCurrent();
			}
			else {
				queue().offer(outgoing);
			}
			drain(1);
			return taken;
		}
		// Released by whichever thread drains it: the writer, or the one that finds the
		// connection failed.
		queue().offer(outgoing);
		if ((int) WIP.getAndAdd(this, 1) == 0) {
			drain(1);
		}
		return true;
	}

	/**
	 * Send one frame of a streamed message begun with {@link Outgoing#streamed}: it goes
	 * out after the frames before it, and no other message's frames go out until the
	 * message is {@link #endStreamed ended}. Its bytes count like any send's.
	 * @param stream the streamed message, sent before with {@link #send}
	 * @param frame the frame's payload, the transport's until written
	 * @return whether it was taken; {@code false} when the connection had failed before,
	 * or failed on it (the listener has been told why)
	 */
	boolean sendFrame(Outgoing stream, ByteBuffer frame) {
		Streamed streamed = (Streamed) stream;
		if (this.failed || streamed.dropped) {
			return false;
		}
		int size = frame.remaining();
		if (!admit(size, null)) {
			return false;
		}
		streamed.offer(frame);
		if (streamed.dropped) {
			// Dropped by the writer meanwhile, maybe before it saw this frame.
			long dropped = streamed.drop(this);
			settle(dropped, null);
			return false;
		}
		signal();
		return true;
	}

	/**
	 * End a streamed message: its last (empty) frame follows the ones sent, and the
	 * messages queued behind it go out after it.
	 * @param stream the streamed message
	 * @return whether the connection had not failed
	 */
	boolean endStreamed(Outgoing stream) {
		Streamed streamed = (Streamed) stream;
		streamed.ended = true;
		signal();
		return !this.failed && !streamed.dropped;
	}

	/**
	 * Drop everything queued and give back what the connection holds of the outbound
	 * budget; later sends fail. Frames the transport holds complete on their own.
	 */
	void discard() {
		FAILED.setVolatile(this, true);
		this.credit.close();
		signal();
	}

	/**
	 * Return whether a send now would not take the bytes held past the high-water mark
	 * since they last drained to the low-water mark.
	 * @return whether the connection is writable
	 */
	boolean isWritable() {
		return !this.unwritable && !this.failed;
	}

	/**
	 * Return the bytes sent and not yet written.
	 * @return the bytes held
	 */
	long getHeld() {
		return this.held;
	}

	/**
	 * Return what the connection holds of the outbound budget.
	 * @return the bytes reserved
	 */
	long getReserved() {
		return this.credit.getReserved();
	}

	private boolean isIdle() {
		Queue<Outgoing> queue = this.queue;
		return this.current == null && !this.awaiting && (queue == null || queue.isEmpty());
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

	/**
	 * Count a send's bytes as held, against the bounds and the budget.
	 * @param size the bytes
	 * @param outgoing the frames, or {@code null} for a whole message written at once
	 * @return whether they are admitted; if not, the connection has failed
	 */
	private boolean admit(long size, @Nullable Outgoing outgoing) {
		long held = (long) HELD.getAndAdd(this, size) + size;
		if (held > size && held > this.bounds.sizeLimit()) {
			// Frames held back for one flush are not yet the peer's to read.
			this.transport.flush();
			long unwritten = this.held;
			if (unwritten > size && unwritten > this.bounds.sizeLimit()) {
				fail(() -> this.listener.sendOverflow("send buffer limit of " + this.bounds.sizeLimit()
						+ " bytes exceeded (" + unwritten + " bytes not yet written)"));
				// Refused: not held.
				HELD.getAndAdd(this, -size);
				return false;
			}
			held = unwritten;
		}
		Budget refusedBy = (outgoing != null) ? outgoing.reserve(this) : this.credit.take(size);
		if (refusedBy != null) {
			fail(() -> this.listener.outboundBudgetExceeded(refusedBy, size));
			HELD.getAndAdd(this, -size);
			return false;
		}
		if (held > this.bounds.highWaterMark() && !this.unwritable) {
			this.unwritable = true;
			// Drained meanwhile, past the completion that would have said so.
			checkWritable(this.held);
		}
		if (this.timer != null && !this.watched) {
			watch();
		}
		return true;
	}

	/**
	 * A message in one frame, from the sender's thread, with the queue as its completion.
	 */
	private boolean writeWhole(byte[] payload, boolean isBinary) {
		await();
		try {
			if (isBinary) {
				this.transport.sendBinary(payload, 0, payload.length, true, this);
			}
			else {
				this.transport.sendText(payload, 0, payload.length, true, this);
			}
			return true;
		}
		catch (IOException | RuntimeException ex) {
			notTaken(payload.length, null, ex);
			return false;
		}
	}

	/**
	 * Write the frames of the current message until it is done, the transport asks to
	 * wait, or a write fails; only by the thread that holds {@code wip}.
	 * @return {@code false} if a frame was not taken
	 */
	private boolean writeCurrent() {
		Outgoing outgoing = this.current;
		while (outgoing != null) {
			if (!outgoing.isReady()) {
				// A streamed message waiting for its sender, whose next frame or end
				// signals.
				return true;
			}
			await();
			long remaining = outgoing.remaining();
			try {
				outgoing.writeNext(this.transport, this);
			}
			catch (IOException | RuntimeException ex) {
				this.current = null;
				if (outgoing instanceof Streamed streamed) {
					// Its frames not handed over are given back below, with the one
					// refused.
					streamed.forget();
				}
				notTaken(remaining, outgoing, ex);
				return false;
			}
			if (outgoing.isDone()) {
				this.current = null;
				outgoing = null;
			}
			if (!mayWriteNext()) {
				return true;
			}
		}
		return true;
	}

	private void await() {
		if (this.serial) {
			AWAITING.setRelease(this, true);
		}
	}

	/**
	 * A frame was handed over: whether the next may follow at once, or waits for the
	 * completion (which may have come already).
	 */
	private boolean mayWriteNext() {
		return !this.serial || !(boolean) AWAITING.getAcquire(this);
	}

	/**
	 * A frame was not taken: its bytes, and those of the message's frames after it, are
	 * no longer held.
	 */
	private void notTaken(long bytes, @Nullable Outgoing outgoing, Throwable ex) {
		AWAITING.setRelease(this, false);
		if (outgoing != null) {
			outgoing.release(this, bytes);
		}
		else {
			this.credit.give(bytes);
		}
		settle(bytes, ex);
	}

	private void drain(int missed) {
		for (;;) {
			writeQueued();
			missed = (int) WIP.getAndAdd(this, -missed) - missed;
			if (missed == 0) {
				return;
			}
		}
	}

	private void writeQueued() {
		while (!this.awaiting) {
			if (this.failed) {
				dropQueued();
				return;
			}
			if (this.current == null) {
				// Read on every pass: a sender creates the queue and offers before it
				// increments
				// wip, so the pass after its increment sees the queue.
				Queue<Outgoing> queue = this.queue;
				Outgoing next = (queue != null) ? queue.poll() : null;
				if (next == null) {
					return;
				}
				this.current = next;
			}
			if (!writeCurrent()) {
				return;
			}
			Outgoing stalled = this.current;
			if (stalled != null && !stalled.isReady() && !writeControlFrame(stalled)) {
				return;
			}
		}
	}

	/**
	 * A streamed message waits for its sender: a control frame queued next may go out in
	 * between its frames (RFC 6455 5.4); after a close frame the message is dropped,
	 * since nothing may follow it.
	 * @return whether one was written, and the queue may go on
	 */
	private boolean writeControlFrame(Outgoing stalled) {
		Queue<Outgoing> queue = this.queue;
		Outgoing head = (queue != null) ? queue.peek() : null;
		if (!(head instanceof Control) && !(head instanceof Close)) {
			return false;
		}
		queue.poll();
		this.current = head;
		boolean written = writeCurrent();
		this.current = stalled;
		if (head instanceof Close) {
			this.current = null;
			settle(stalled.drop(this), null);
		}
		return written;
	}

	/** The connection failed: what was never handed over is no longer held. */
	private void dropQueued() {
		Outgoing current = this.current;
		if (current != null) {
			this.current = null;
			settle(current.drop(this), null);
		}
		Queue<Outgoing> queue = this.queue;
		if (queue != null) {
			Outgoing next;
			while ((next = queue.poll()) != null) {
				settle(next.drop(this), null);
			}
		}
	}

	private void signal() {
		if ((int) WIP.getAndAdd(this, 1) == 0) {
			drain(1);
		}
	}

	// Transport.Completion, for the frames of the connection's own messages

	@Override
	public void written(long bytes) {
		this.credit.give(bytes);
		completed(bytes, null);
	}

	@Override
	public void failed(long bytes, Throwable failure) {
		this.credit.give(bytes);
		completed(bytes, failure);
	}

	/**
	 * The transport completed a frame: count its bytes off, and on a stack that writes
	 * one frame at a time let the next one go.
	 */
	void completed(long bytes, @Nullable Throwable failure) {
		// Racy increments may lose one another: the check only looks whether it changed.
		this.completions++;
		settle(bytes, failure);
		if (this.serial && (boolean) AWAITING.compareAndSet(this, true, false)) {
			signal();
		}
		else if (failure != null) {
			// Drop what is queued.
			signal();
		}
	}

	/**
	 * Bytes are no longer held (their credit or share is given back already): count them
	 * off, and tell the listener about a failure and about the water mark.
	 */
	private void settle(long bytes, @Nullable Throwable failure) {
		long held = (long) HELD.getAndAdd(this, -bytes) - bytes;
		if (held == 0 && this.timer == null) {
			// Without a timer, the unused credit goes back at once; with one, the
			// time-limit
			// check gives it back when it finds nothing held (see checkProgress).
			this.credit.returnUnused();
		}
		if (failure != null) {
			IOException io = (failure instanceof IOException ex) ? ex : new IOException(failure.getMessage(), failure);
			fail(() -> this.listener.writeFailed(io));
		}
		checkWritable(held);
	}

	private void checkWritable(long held) {
		if (this.unwritable && held <= this.bounds.lowWaterMark() && UNWRITABLE.compareAndSet(this, true, false)
				&& !this.failed) {
			this.listener.writable();
		}
	}

	private void fail(Runnable report) {
		if (FAILED.compareAndSet(this, false, true)) {
			report.run();
		}
	}

	// The time limit: nobody waits on a write, so a timer looks

	private void watch() {
		ScheduledExecutorService timer = this.timer;
		if (timer != null && WATCHED.compareAndSet(this, false, true)) {
			this.watchedCompletions = this.completions;
			this.progressNanos = System.nanoTime();
			schedule(timer);
		}
	}

	private void schedule(ScheduledExecutorService timer) {
		try {
			timer.schedule(this::checkProgress, this.bounds.checkPeriodNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Shutting down.
			this.watched = false;
		}
	}

	private void checkProgress() {
		ScheduledExecutorService timer = this.timer;
		if (timer == null || this.failed) {
			this.watched = false;
			return;
		}
		if (this.held == 0) {
			// Idle: the credit a sending connection keeps goes back until it sends again.
			this.credit.returnUnused();
			this.watched = false;
			if (this.held != 0) {
				// A send came in between.
				watch();
			}
			return;
		}
		int completions = this.completions;
		long now = System.nanoTime();
		if (completions != this.watchedCompletions) {
			this.watchedCompletions = completions;
			this.progressNanos = now;
		}
		else if (now - this.progressNanos > this.bounds.timeLimitNanos()) {
			long stalled = (now - this.progressNanos) / 1_000_000;
			this.watched = false;
			fail(() -> this.listener.sendOverflow("send time limit of " + (this.bounds.timeLimitNanos() / 1_000_000)
					+ " ms exceeded (no write completed for " + stalled + " ms)"));
			signal();
			return;
		}
		schedule(timer);
	}

	/**
	 * The bounds of one connection's send path.
	 *
	 * @param sizeLimit the most bytes held ({@code send-buffer-size-limit})
	 * @param highWaterMark held bytes past which the connection is not writable
	 * @param lowWaterMark held bytes at which it is writable again
	 * @param timeLimitNanos the longest time without a completed write while bytes are
	 * held ({@code send-time-limit})
	 */
	record SendBounds(long sizeLimit, long highWaterMark, long lowWaterMark, long timeLimitNanos) {

		/**
		 * Bounds with water marks at a half and a quarter of the size limit.
		 */
		static SendBounds of(long sizeLimit, long timeLimitNanos) {
			return new SendBounds(sizeLimit, sizeLimit / 2, sizeLimit / 4, timeLimitNanos);
		}

		/** How often the time limit is checked while bytes are held. */
		long checkPeriodNanos() {
			return Math.max(this.timeLimitNanos / 8, TimeUnit.MILLISECONDS.toNanos(1));
		}

	}

	/**
	 * Told, once, why the connection can no longer send: the one path of a send failure;
	 * and when it is writable again.
	 */
	interface Listener {

		/**
		 * The bytes held passed one of the bounds.
		 * @param reason which one, for the log
		 */
		void sendOverflow(String reason);

		/**
		 * The endpoint's or the application's outbound budget refused the bytes of a
		 * send: the connection is failed like for an overflow.
		 * @param refusedBy the budget that refused
		 * @param amount the bytes it refused
		 */
		void outboundBudgetExceeded(Budget refusedBy, long amount);

		/**
		 * A write failed: the connection is broken.
		 * @param failure the cause
		 */
		void writeFailed(IOException failure);

		/**
		 * The bytes held drained to the low-water mark after a send had taken them past
		 * the high-water mark. Called on whichever thread saw them drain (a transport's
		 * completion, or a sender); must not block.
		 */
		default void writable() {
		}

	}

	/**
	 * The frames of one outgoing message or control frame. Written one frame at a time by
	 * the thread that holds {@code wip}, which keeps its progress.
	 */
	abstract static class Outgoing {

		/** The payload bytes of all its frames. */
		abstract int size();

		/** The payload bytes of the frames not yet handed over. */
		abstract long remaining();

		abstract boolean isDone();

		/**
		 * Hand the next frame to the transport, with its completion.
		 */
		abstract void writeNext(Transport transport, OutboundQueue queue) throws IOException;

		/** Count its bytes against the budget, as they become held. */
		@Nullable Budget reserve(OutboundQueue queue) {
			return queue.credit.take(size());
		}

		/** Give back what its bytes took of the budget, as they are no longer held. */
		void release(OutboundQueue queue, long bytes) {
			queue.credit.give(bytes);
		}

		/**
		 * Whether its next frame can be handed over now: a streamed message waits for its
		 * sender.
		 */
		boolean isReady() {
			return true;
		}

		/**
		 * It will not be written: give back what its frames not yet handed over took.
		 * @return their bytes, no longer held
		 */
		long drop(OutboundQueue queue) {
			long remaining = remaining();
			release(queue, remaining);
			return remaining;
		}

		/**
		 * A message sent in parts (Autobahn's {@code beginMessage}), whose frames come
		 * with {@link OutboundQueue#sendFrame} and whose end comes with
		 * {@link OutboundQueue#endStreamed}.
		 * @param isBinary whether it is binary
		 */
		static Outgoing streamed(boolean isBinary) {
			return new Streamed(isBinary);
		}

		static Outgoing message(byte[] payload, boolean isBinary, int fragmentSize) {
			return new Message(ByteBuffer.wrap(payload), isBinary, fragmentSize);
		}

		static Outgoing message(ByteBuffer payload, boolean isBinary, int fragmentSize) {
			return new Message(payload.duplicate(), isBinary, fragmentSize);
		}

		static Outgoing shared(SharedMessage message) {
			return new Shared(message);
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

	/**
	 * A message of the connection's own, from its position to its limit, cut into
	 * fragments when a fragment size is given.
	 */
	private static final class Message extends Outgoing {

		private final ByteBuffer payload;

		private final boolean binary;

		private final int fragmentSize;

		private final int size;

		/** The start of the next frame. */
		private int next;

		Message(ByteBuffer payload, boolean binary, int fragmentSize) {
			this.payload = payload;
			this.binary = binary;
			this.fragmentSize = fragmentSize;
			this.size = payload.remaining();
			this.next = payload.position();
		}

		@Override
		int size() {
			return this.size;
		}

		@Override
		long remaining() {
			return Math.max(0, this.payload.limit() - this.next);
		}

		@Override
		boolean isDone() {
			return this.next >= this.payload.limit() && (this.size > 0 || this.next > this.payload.position());
		}

		@Override
		void writeNext(Transport transport, OutboundQueue queue) throws IOException {
			int start = this.next;
			int limit = this.payload.limit();
			int end = (this.fragmentSize <= 0) ? limit : (int) Math.min((long) start + this.fragmentSize, limit);
			if (!this.binary && end < limit) {
				end = codePointBoundary(end, start, limit);
			}
			boolean last = end == limit;
			ByteBuffer frame = this.payload.duplicate().limit(end).position(start);
			// Past the frame before the call: its completion may come before the call
			// returns.
			this.next = (start == end) ? end + 1 : end;
			if (this.binary) {
				transport.sendBinary(frame, last, queue);
			}
			else {
				transport.sendText(frame, last, queue);
			}
		}

		/**
		 * Move a fragment end off the middle of a UTF-8 sequence: every text frame must
		 * be valid UTF-8 on its own for containers that take text frames as strings.
		 */
		private int codePointBoundary(int end, int start, int limit) {
			int boundary = end;
			while (boundary < limit && boundary > start && (this.payload.get(boundary) & 0xC0) == 0x80) {
				boundary--;
			}
			if (boundary == start) {
				// A fragment smaller than one code point: take the whole code point.
				boundary = end;
				while (boundary < limit && (this.payload.get(boundary) & 0xC0) == 0x80) {
					boundary++;
				}
			}
			return boundary;
		}

	}

	/**
	 * A prepared message, in one frame: its bytes count once against the application's
	 * budget (see {@link SharedMessage}) unless this connection's budget has another
	 * root, when they count as its own.
	 */
	private static final class Shared extends Outgoing implements Transport.Completion {

		private final SharedMessage message;

		private @Nullable OutboundQueue queue;

		private boolean own;

		private boolean handedOver;

		Shared(SharedMessage message) {
			this.message = message;
		}

		@Override
		int size() {
			return this.message.size();
		}

		@Override
		long remaining() {
			return this.handedOver ? 0 : this.message.size();
		}

		@Override
		boolean isDone() {
			return this.handedOver;
		}

		@Override
		@Nullable Budget reserve(OutboundQueue queue) {
			this.queue = queue;
			this.own = this.message.getBudget() != queue.sharedBudget;
			return this.own ? queue.credit.take(size()) : this.message.acquire();
		}

		@Override
		void writeNext(Transport transport, OutboundQueue queue) throws IOException {
			this.handedOver = true;
			transport.sendShared(this.message, this);
		}

		@Override
		void release(OutboundQueue queue, long bytes) {
			if (this.own) {
				queue.credit.give(bytes);
			}
			else {
				this.message.release();
			}
		}

		@Override
		public void written(long bytes) {
			completed(bytes, null);
		}

		@Override
		public void failed(long bytes, Throwable failure) {
			completed(bytes, failure);
		}

		private void completed(long bytes, @Nullable Throwable failure) {
			OutboundQueue queue = this.queue;
			if (queue != null) {
				release(queue, bytes);
				queue.completed(bytes, failure);
			}
		}

	}

	/**
	 * A message sent in parts: frames come from its sender while it is queued or being
	 * written, and while it has none and is not ended, the writer leaves it (and
	 * everything queued behind it but control frames) until its sender signals.
	 */
	private static final class Streamed extends Outgoing {

		private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

		private final boolean binary;

		private final Queue<ByteBuffer> frames = new ConcurrentLinkedQueue<>();

		/** The bytes of the frames sent and not handed over. */
		private final AtomicLong pending = new AtomicLong();

		volatile boolean ended;

		volatile boolean dropped;

		/** Only touched by the writing thread. */
		private boolean handedOverEnd;

		Streamed(boolean binary) {
			this.binary = binary;
		}

		void offer(ByteBuffer frame) {
			this.pending.addAndGet(frame.remaining());
			this.frames.offer(frame);
		}

		@Override
		int size() {
			// Its frames are admitted one at a time as they are sent.
			return 0;
		}

		@Override
		long remaining() {
			return this.pending.get();
		}

		@Override
		boolean isReady() {
			return !this.frames.isEmpty() || (this.ended && !this.handedOverEnd);
		}

		@Override
		boolean isDone() {
			return this.handedOverEnd;
		}

		@Override
		void writeNext(Transport transport, OutboundQueue queue) throws IOException {
			ByteBuffer frame = this.frames.poll();
			boolean last = false;
			if (frame != null) {
				this.pending.addAndGet(-frame.remaining());
			}
			else {
				this.handedOverEnd = true;
				frame = EMPTY.duplicate();
				last = true;
			}
			if (this.binary) {
				transport.sendBinary(frame, last, queue);
			}
			else {
				transport.sendText(frame, last, queue);
			}
		}

		/** Drop its frames not handed over, whose bytes the caller gives back. */
		void forget() {
			this.dropped = true;
			ByteBuffer frame;
			while ((frame = this.frames.poll()) != null) {
				this.pending.addAndGet(-frame.remaining());
			}
		}

		@Override
		long drop(OutboundQueue queue) {
			this.dropped = true;
			long bytes = 0;
			ByteBuffer frame;
			while ((frame = this.frames.poll()) != null) {
				bytes += frame.remaining();
			}
			this.pending.addAndGet(-bytes);
			release(queue, bytes);
			return bytes;
		}

	}

	private static final class Control extends Outgoing {

		private final byte[] payload;

		private final boolean ping;

		private boolean handedOver;

		Control(byte[] payload, boolean ping) {
			this.payload = payload;
			this.ping = ping;
		}

		@Override
		int size() {
			return this.payload.length;
		}

		@Override
		long remaining() {
			return this.handedOver ? 0 : this.payload.length;
		}

		@Override
		boolean isDone() {
			return this.handedOver;
		}

		@Override
		void writeNext(Transport transport, OutboundQueue queue) throws IOException {
			this.handedOver = true;
			if (this.ping) {
				transport.sendPing(ByteBuffer.wrap(this.payload), queue);
			}
			else {
				transport.sendPong(ByteBuffer.wrap(this.payload), queue);
			}
		}

	}

	private static final class Close extends Outgoing {

		private final @Nullable Integer code;

		private final @Nullable String reason;

		private boolean handedOver;

		Close(@Nullable Integer code, @Nullable String reason) {
			this.code = code;
			this.reason = reason;
		}

		@Override
		int size() {
			return 0;
		}

		@Override
		long remaining() {
			return 0;
		}

		@Override
		boolean isDone() {
			return this.handedOver;
		}

		@Override
		void writeNext(Transport transport, OutboundQueue queue) throws IOException {
			this.handedOver = true;
			transport.close(this.code, this.reason, queue);
		}

	}

}
