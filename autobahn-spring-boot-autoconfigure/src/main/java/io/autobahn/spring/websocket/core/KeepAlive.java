package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Auto-ping of one connection, as Autobahn does it ({@code _sendAutoPing},
 * {@code onAutoPingTimeout}, {@code _cancelAutoPingTimeoutCall}):
 * <ul>
 * <li>One ping is outstanding at a time. The first goes an interval after the connection
 * opened, the next an interval after the pong that answers the previous one.</li>
 * <li>The payload is the send time in nanoseconds since the epoch (8 bytes, big-endian,
 * so a peer can compute one-way delay), a sequence number (4 bytes) and random padding up
 * to {@code auto-ping-size}. Only a pong carrying exactly that payload answers it; the
 * round trip is measured with {@link System#nanoTime()}.</li>
 * <li>With a timeout, a ping unanswered for that long drops the connection. With
 * {@code auto-ping-restart-on-any-traffic}, a data frame received while the timeout runs
 * also answers it: the timeout is cancelled and the next ping goes an interval
 * later.</li>
 * <li>Without a timeout nothing is dropped, and, as in Autobahn, a peer that never
 * answers gets no further ping.</li>
 * </ul>
 * Methods may be called from any thread: the state is guarded by this object's monitor,
 * and the ping is sent and the timeout reported outside it. {@link #stop()} ends it for
 * good; created per connection and started once the connection is open.
 * <p>
 * Over this project's usual length because of the small nested types that let the tests
 * drive it without sockets or real time ({@link Scheduler}, {@link Clock}), beside
 * {@link Listener} and {@link AutoPong}.
 */
final class KeepAlive {

	private static final Log logger = LogFactory.getLog(KeepAlive.class);

	private static final int HEADER_SIZE = 12;

	private final Scheduler scheduler;

	private final Clock clock;

	private final Listener listener;

	private final long intervalNanos;

	private final long timeoutNanos;

	private final int size;

	private final boolean restartOnAnyTraffic;

	/** The payload of the ping awaiting its pong, or {@code null}. */
	private byte @Nullable [] pending;

	private long pendingSentNanos;

	private long pendingSentEpochNanos;

	private int sequence;

	private @Nullable Task nextPing;

	private @Nullable Task timeout;

	/** Set while a timeout runs: lets every data frame skip the monitor otherwise. */
	private volatile boolean timing;

	/** Set while a ping is pending: lets unsolicited pongs skip the monitor. */
	private volatile boolean awaitingPong;

	private boolean stopped;

	/**
	 * Create a keep-alive.
	 * @param scheduler runs the pings and timeouts
	 * @param clock the monotonic and the wall clock
	 * @param listener sends the pings and hears of a timeout
	 * @param intervalNanos the interval, positive
	 * @param timeoutNanos the timeout, or 0 for none
	 * @param size the ping payload size, 12 to 125
	 * @param restartOnAnyTraffic whether a data frame answers a ping too
	 */
	KeepAlive(Scheduler scheduler, Clock clock, Listener listener, long intervalNanos, long timeoutNanos, int size,
			boolean restartOnAnyTraffic) {
		this.scheduler = scheduler;
		this.clock = clock;
		this.listener = listener;
		this.intervalNanos = intervalNanos;
		this.timeoutNanos = timeoutNanos;
		this.size = size;
		this.restartOnAnyTraffic = restartOnAnyTraffic;
	}

	/**
	 * Create and start the keep-alive of a connection that just opened.
	 * @param settings the endpoint's settings
	 * @param timer runs the pings and timeouts
	 * @param listener sends the pings and hears of a timeout
	 * @return the keep-alive, or {@code null} when auto-ping is off
	 */
	static @Nullable KeepAlive start(EndpointSettings settings, ScheduledExecutorService timer, Listener listener) {
		if (!settings.isAutoPingEnabled()) {
			return null;
		}
		Duration timeout = settings.autoPingTimeout();
		KeepAlive keepAlive = new KeepAlive(Scheduler.of(timer), Clock.SYSTEM, listener,
				settings.autoPingInterval().toNanos(), (timeout != null) ? timeout.toNanos() : 0,
				settings.autoPingSize(), settings.autoPingRestartOnAnyTraffic());
		keepAlive.start();
		return keepAlive;
	}

	/**
	 * Schedule the first ping, an interval from now.
	 */
	synchronized void start() {
		if (!this.stopped && this.nextPing == null && this.pending == null) {
			scheduleNextPing();
		}
	}

	/**
	 * Stop: cancel the next ping and the timeout. Nothing is sent or reported afterwards.
	 */
	synchronized void stop() {
		this.stopped = true;
		this.pending = null;
		this.awaitingPong = false;
		this.timing = false;
		cancel(this.nextPing);
		cancel(this.timeout);
		this.nextPing = null;
		this.timeout = null;
	}

	/**
	 * A pong arrived.
	 * @param payload its payload
	 * @return the auto-pong, when it answered the pending ping; {@code null} for any
	 * other pong
	 */
	@Nullable AutoPong pongReceived(byte[] payload) {
		if (!this.awaitingPong) {
			return null;
		}
		synchronized (this) {
			byte[] expected = this.pending;
			if (this.stopped || expected == null || !Arrays.equals(expected, payload)) {
				if (logger.isDebugEnabled()) {
					logger.debug("Auto-ping: received a pong that does not answer the pending ping");
				}
				return null;
			}
			long rtt = this.clock.nanoTime() - this.pendingSentNanos;
			AutoPong pong = new AutoPong(this.pendingSentEpochNanos, this.sequence, this.clock.epochNanos(), rtt,
					payload);
			this.pending = null;
			this.awaitingPong = false;
			cancelTimeout();
			scheduleNextPing();
			return pong;
		}
	}

	/**
	 * A data frame arrived: with {@code auto-ping-restart-on-any-traffic}, it answers the
	 * pending ping while its timeout runs (Autobahn's
	 * {@code _cancelAutoPingTimeoutCall}).
	 */
	void dataReceived() {
		if (!this.restartOnAnyTraffic || !this.timing) {
			return;
		}
		synchronized (this) {
			if (this.stopped || this.timeout == null) {
				return;
			}
			cancelTimeout();
			this.pending = null;
			this.awaitingPong = false;
			cancel(this.nextPing);
			scheduleNextPing();
		}
	}

	private void ping(Task self) {
		byte[] payload;
		synchronized (this) {
			if (this.stopped || this.nextPing != self) {
				return;
			}
			this.nextPing = null;
			this.pendingSentEpochNanos = this.clock.epochNanos();
			this.pendingSentNanos = this.clock.nanoTime();
			this.sequence++;
			payload = payload(this.pendingSentEpochNanos, this.sequence);
			this.pending = payload;
			this.awaitingPong = true;
			if (this.timeoutNanos > 0) {
				this.timeout = schedule(this::timedOut, this.timeoutNanos);
				this.timing = true;
			}
		}
		this.listener.sendPing(payload);
	}

	private void timedOut(Task self) {
		synchronized (this) {
			if (this.stopped || this.timeout != self) {
				return;
			}
			stop();
		}
		this.listener.pingTimedOut();
	}

	private void scheduleNextPing() {
		this.nextPing = schedule(this::ping, this.intervalNanos);
	}

	private void cancelTimeout() {
		cancel(this.timeout);
		this.timeout = null;
		this.timing = false;
	}

	/**
	 * Schedule a task that is handed itself, so that it can tell whether it is still the
	 * current one (a task cancelled too late to be stopped then does nothing). Called
	 * with the monitor held.
	 */
	private Task schedule(Consumer<Task> body, long delayNanos) {
		Task task = new Task(body);
		task.handle = this.scheduler.schedule(task, delayNanos);
		return task;
	}

	private byte[] payload(long sentEpochNanos, int sequence) {
		ByteBuffer payload = ByteBuffer.allocate(this.size);
		payload.putLong(sentEpochNanos).putInt(sequence);
		byte[] random = new byte[this.size - HEADER_SIZE];
		ThreadLocalRandom.current().nextBytes(random);
		payload.put(random);
		return payload.array();
	}

	private static void cancel(@Nullable Task task) {
		Cancellable handle = (task != null) ? task.handle : null;
		if (handle != null) {
			handle.cancel();
		}
	}

	private static final class Task implements Runnable {

		private final Consumer<Task> body;

		private @Nullable Cancellable handle;

		Task(Consumer<Task> body) {
			this.body = body;
		}

		@Override
		public void run() {
			this.body.accept(this);
		}

	}

	/**
	 * A pong that answered an auto-ping, with what Autobahn hands to {@code onAutoPong}.
	 *
	 * @param pingSentEpochNanos when the ping was sent, in nanoseconds since the epoch
	 * (the timestamp in its payload)
	 * @param sequence the ping's sequence number, from 1
	 * @param pongReceivedEpochNanos when the pong arrived, in nanoseconds since the epoch
	 * @param rttNanos the round trip, measured with the monotonic clock
	 * @param payload the whole payload
	 */
	record AutoPong(long pingSentEpochNanos, int sequence, long pongReceivedEpochNanos, long rttNanos, byte[] payload) {

	}

	/**
	 * What the keep-alive asks of its connection.
	 */
	interface Listener {

		/**
		 * Send a ping (called without any lock held, on the scheduler's thread).
		 * @param payload the payload
		 */
		void sendPing(byte[] payload);

		/**
		 * The pending ping was not answered in time: drop the connection.
		 */
		void pingTimedOut();

	}

	/**
	 * Runs a task after a delay.
	 */
	@FunctionalInterface
	interface Scheduler {

		/**
		 * Schedule a task.
		 * @param task the task
		 * @param delayNanos the delay
		 * @return a handle to cancel it
		 */
		Cancellable schedule(Runnable task, long delayNanos);

		/**
		 * Adapt a {@link ScheduledExecutorService}. Once it is shut down (the application
		 * is stopping), nothing more is scheduled.
		 * @param executor the executor
		 * @return the scheduler
		 */
		static Scheduler of(ScheduledExecutorService executor) {
			return (task, delayNanos) -> {
				try {
					ScheduledFuture<?> future = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
					return () -> future.cancel(false);
				}
				catch (RejectedExecutionException ex) {
					return () -> {
					};
				}
			};
		}

	}

	/**
	 * A scheduled task's handle.
	 */
	@FunctionalInterface
	interface Cancellable {

		/**
		 * Cancel the task, if it has not run yet.
		 */
		void cancel();

	}

	/**
	 * The two clocks auto-ping reads.
	 */
	interface Clock {

		/** The system's clocks. */
		Clock SYSTEM = new Clock() {

			@Override
			public long nanoTime() {
				return System.nanoTime();
			}

			@Override
			public long epochNanos() {
				Instant now = Instant.now();
				return now.getEpochSecond() * 1_000_000_000L + now.getNano();
			}

		};

		/**
		 * Return the monotonic time, for the round trip.
		 * @return nanoseconds from an arbitrary origin
		 */
		long nanoTime();

		/**
		 * Return the wall-clock time, for the ping's timestamp.
		 * @return nanoseconds since the epoch
		 */
		long epochNanos();

	}

}
