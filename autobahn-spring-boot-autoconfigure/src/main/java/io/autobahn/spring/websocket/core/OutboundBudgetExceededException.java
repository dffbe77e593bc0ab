package io.autobahn.spring.websocket.core;

import java.io.IOException;

/**
 * Thrown by a non-blocking {@link Transport} when the endpoint's or the application's
 * outbound {@link Budget} refuses the bytes of a frame it would take over: the connection
 * is dropped as for an overflow of the send queue, with a rate-limited WARN.
 */
public class OutboundBudgetExceededException extends IOException {

	private final transient Budget refusedBy;

	private final long amount;

	/**
	 * Create a new instance.
	 * @param refusedBy the budget that refused
	 * @param amount the bytes it refused
	 */
	public OutboundBudgetExceededException(Budget refusedBy, long amount) {
		super("another " + amount + " bytes not yet written would pass " + refusedBy.getName());
		this.refusedBy = refusedBy;
		this.amount = amount;
	}

	/**
	 * Return the budget that refused.
	 * @return the budget
	 */
	public Budget getRefusedBy() {
		return this.refusedBy;
	}

	/**
	 * Return the bytes it refused.
	 * @return the amount
	 */
	public long getAmount() {
		return this.amount;
	}

}
