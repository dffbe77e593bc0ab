package io.autobahn.spring.websocket.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * A limit on an amount that many connections hold at once: the bytes of partly received
 * messages, the bytes queued for sending, or the open connections themselves. A holder
 * reserves an amount before it holds it and releases exactly that amount when it no
 * longer does. A reservation that would take this budget, or its parent, past its limit
 * is refused whole and counted as a refusal of the budget that refused it.
 * <p>
 * An endpoint's budget has the application's as its parent, so one reservation counts
 * against both. A budget without a limit of its own still counts what is held, for the
 * figures. Thread-safe and lock-free: one compare-and-set loop per limited level.
 */
public final class Budget {

	/** The limit of a budget that only counts. */
	public static final long UNLIMITED = Long.MAX_VALUE;

	private final String name;

	private final long limit;

	private final @Nullable Budget parent;

	private final AtomicLong inUse = new AtomicLong();

	private final LongAdder refusals = new LongAdder();

	private volatile long peak;

	/**
	 * Create a budget.
	 * @param name what it limits, for log messages, such as
	 * {@code "the application's inbound budget"}
	 * @param limit the most that may be held at once, or {@link #UNLIMITED}
	 * @param parent the budget every reservation also counts against, or {@code null}
	 */
	public Budget(String name, long limit, @Nullable Budget parent) {
		if (limit <= 0) {
			throw new IllegalArgumentException("The limit of " + name + " must be positive, got " + limit);
		}
		this.name = name;
		this.limit = limit;
		this.parent = parent;
	}

	/**
	 * Reserve an amount here and in the parent, or nothing at all.
	 * @param amount the amount to reserve; zero or less reserves nothing and succeeds
	 * @return {@code null} if the amount is now reserved, else the budget that refused it
	 * (this one or an ancestor), whose refusal count went up by one
	 */
	public @Nullable Budget tryReserve(long amount) {
		return tryReserve(amount, true);
	}

	/**
	 * Reserve an amount here and in the parent, or nothing at all.
	 * @param amount the amount to reserve; zero or less reserves nothing and succeeds
	 * @param countRefusal whether a refusal counts as one: not for a reservation made
	 * ahead of need, which the holder retries with what it needs
	 * @return {@code null} if the amount is now reserved, else the budget that refused it
	 */
	@Nullable Budget tryReserve(long amount, boolean countRefusal) {
		if (amount <= 0) {
			return null;
		}
		if (!take(amount)) {
			if (countRefusal) {
				this.refusals.increment();
			}
			return this;
		}
		Budget parent = this.parent;
		if (parent != null) {
			Budget refused = parent.tryReserve(amount, countRefusal);
			if (refused != null) {
				this.inUse.addAndGet(-amount);
				return refused;
			}
		}
		return null;
	}

	/**
	 * Give back an amount reserved earlier, here and in the parent.
	 * @param amount the amount; zero or less does nothing
	 */
	public void release(long amount) {
		if (amount <= 0) {
			return;
		}
		this.inUse.addAndGet(-amount);
		Budget parent = this.parent;
		if (parent != null) {
			parent.release(amount);
		}
	}

	private boolean take(long amount) {
		if (this.limit == UNLIMITED) {
			recordPeak(this.inUse.addAndGet(amount));
			return true;
		}
		for (;;) {
			long current = this.inUse.get();
			long next = current + amount;
			if (next > this.limit || next < 0) {
				return false;
			}
			if (this.inUse.compareAndSet(current, next)) {
				recordPeak(next);
				return true;
			}
		}
	}

	private void recordPeak(long value) {
		if (value > this.peak) {
			// A racy maximum: another thread may record a smaller value in between, which
			// only
			// makes the figure slightly low for an instant.
			this.peak = value;
		}
	}

	/**
	 * Return what this budget limits, for log messages.
	 * @return the name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * Return the most that may be held at once.
	 * @return the limit, or {@link #UNLIMITED}
	 */
	public long getLimit() {
		return this.limit;
	}

	/**
	 * Return whether the budget has a limit of its own.
	 * @return whether the limit is not {@link #UNLIMITED}
	 */
	public boolean isLimited() {
		return this.limit != UNLIMITED;
	}

	/**
	 * Return the amount reserved now.
	 * @return the amount in use
	 */
	public long getInUse() {
		return this.inUse.get();
	}

	/**
	 * Return the largest amount reserved at once so far.
	 * @return the peak
	 */
	public long getPeak() {
		return this.peak;
	}

	/**
	 * Return how many reservations this budget refused (those its parent refused are
	 * counted there).
	 * @return the refusals
	 */
	public long getRefusals() {
		return this.refusals.sum();
	}

	/**
	 * Return the budget at the top of this one's parents: the application's.
	 * @return the root, or this budget if it has no parent
	 */
	public Budget getRoot() {
		Budget root = this;
		while (root.parent != null) {
			root = root.parent;
		}
		return root;
	}

	/**
	 * Return the parent budget.
	 * @return the parent, or {@code null}
	 */
	public @Nullable Budget getParent() {
		return this.parent;
	}

	@Override
	public String toString() {
		return this.name + "[inUse=" + getInUse() + ", limit=" + (isLimited() ? this.limit : "none") + ", refusals="
				+ getRefusals() + "]";
	}

}
