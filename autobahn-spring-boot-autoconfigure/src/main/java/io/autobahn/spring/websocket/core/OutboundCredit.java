package io.autobahn.spring.websocket.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.jspecify.annotations.Nullable;

/**
 * The part of the outbound {@link Budget} one connection holds for the bytes it has not
 * written yet. It reserves from the budget, which every connection shares, in chunks of
 * {@value #CHUNK} bytes (or what one send needs, when more), and hands the bytes of each
 * send out of that credit; written bytes come back to the credit. The unused credit goes
 * back to the budget when the connection has nothing left to write, and all of it when
 * the connection closes. So a connection that keeps sending touches the shared counters
 * once per chunk rather than twice per frame, and the budget still never holds less than
 * what the connections hold: what the budget counts as in use is what they hold plus at
 * most a chunk per connection that is writing.
 * <p>
 * Thread-safe and lock-free: its two counters are this connection's own, updated through
 * {@link VarHandle}s by the senders and by the transport's completions.
 */
final class OutboundCredit {

	/** The most a connection reserves ahead of what it needs. */
	static final long CHUNK = 64 * 1024;

	private static final VarHandle AVAILABLE;

	private static final VarHandle RESERVED;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			AVAILABLE = lookup.findVarHandle(OutboundCredit.class, "available", long.class);
			RESERVED = lookup.findVarHandle(OutboundCredit.class, "reserved", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final Budget budget;

	/** Reserved from the budget and not handed out. */
	private volatile long available;

	/** Reserved from the budget in all: what is available plus what is handed out. */
	private volatile long reserved;

	private volatile boolean closed;

	OutboundCredit(Budget budget) {
		this.budget = budget;
	}

	/**
	 * Hand out credit for bytes about to be held, reserving more from the budget when the
	 * connection's credit does not cover them.
	 * @param amount the bytes
	 * @return {@code null} if they are covered, else the budget that refused them (its
	 * refusal counted once)
	 */
	@Nullable Budget take(long amount) {
		if (amount <= 0) {
			return null;
		}
		for (;;) {
			long available = this.available;
			if (available < amount) {
				break;
			}
			if (AVAILABLE.compareAndSet(this, available, available - amount)) {
				return null;
			}
		}
		long grant = Math.max(amount, CHUNK);
		// A chunk ahead is refused quietly: what counts is whether what is needed fits.
		Budget refusedBy = this.budget.tryReserve(grant, grant == amount);
		if (refusedBy != null && grant > amount) {
			grant = amount;
			refusedBy = this.budget.tryReserve(amount);
		}
		if (refusedBy != null) {
			return refusedBy;
		}
		RESERVED.getAndAdd(this, grant);
		AVAILABLE.getAndAdd(this, grant - amount);
		if (this.closed) {
			// Closed meanwhile: everything reserved goes back, this grant included.
			releaseReserved();
		}
		return null;
	}

	/**
	 * Take back credit for bytes no longer held (written, or dropped).
	 * @param amount the bytes
	 */
	void give(long amount) {
		if (amount > 0) {
			AVAILABLE.getAndAdd(this, amount);
		}
	}

	/**
	 * Give the unused credit back to the budget: called when the connection holds
	 * nothing.
	 */
	void returnUnused() {
		if (this.available == 0) {
			return;
		}
		long unused = (long) AVAILABLE.getAndSet(this, 0L);
		if (unused <= 0) {
			return;
		}
		for (;;) {
			long reserved = this.reserved;
			if (reserved < unused) {
				// Closed meanwhile, which gave back everything reserved.
				return;
			}
			if (RESERVED.compareAndSet(this, reserved, reserved - unused)) {
				this.budget.release(unused);
				return;
			}
		}
	}

	/**
	 * Give everything reserved back to the budget, once, including the credit handed out
	 * for bytes still held; later {@link #give} calls change nothing the budget sees.
	 */
	void close() {
		this.closed = true;
		releaseReserved();
	}

	private void releaseReserved() {
		long reserved = (long) RESERVED.getAndSet(this, 0L);
		this.budget.release(reserved);
	}

	/**
	 * Return what this connection holds of the budget.
	 * @return the bytes reserved
	 */
	long getReserved() {
		return this.reserved;
	}

}
