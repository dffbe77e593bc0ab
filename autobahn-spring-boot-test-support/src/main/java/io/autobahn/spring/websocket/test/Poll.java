package io.autobahn.spring.websocket.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded polling for conditions that have no event to await.
 */
public final class Poll {

	private Poll() {
	}

	/**
	 * Wait until the condition holds, checking every 10 ms.
	 * @param what the condition, for the failure message
	 * @param condition the condition
	 * @param timeout the longest wait
	 * @throws AssertionError if the condition still fails after the timeout
	 */
	public static void until(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("Not within " + timeout + ": " + what);
			}
			Thread.sleep(10);
		}
	}

}
