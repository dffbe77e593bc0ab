package io.autobahn.spring.websocket.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;

/**
 * Writes at most one WARN line per interval for events a client can cause over and over
 * (an attack, a budget hit), so that they cannot flood the log. The next line after a
 * quiet spell says how many were left out. Thread-safe.
 */
final class RateLimitedLog {

	private final Log logger;

	private final long intervalNanos;

	/** When the next line may be written; the first line may be written at once. */
	private final AtomicLong nextNanos;

	private final AtomicLong suppressed = new AtomicLong();

	RateLimitedLog(Log logger, Duration interval) {
		this.logger = logger;
		this.intervalNanos = interval.toNanos();
		this.nextNanos = new AtomicLong(System.nanoTime());
	}

	/**
	 * Log a warning unless one was logged less than the interval ago.
	 * @param message the message, built only if it is logged
	 * @return whether it was logged
	 */
	boolean warn(Supplier<String> message) {
		if (!this.logger.isWarnEnabled()) {
			return false;
		}
		long now = System.nanoTime();
		long next = this.nextNanos.get();
		if (now - next < 0 || !this.nextNanos.compareAndSet(next, now + this.intervalNanos)) {
			this.suppressed.incrementAndGet();
			return false;
		}
		long left = this.suppressed.getAndSet(0);
		this.logger.warn(message.get()
				+ ((left > 0) ? " (" + left + " more like it since the previous such line were not logged)" : ""));
		return true;
	}

}
