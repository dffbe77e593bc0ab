package io.autobahn.spring.websocket;

import java.time.Duration;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * When a client reconnects ({@link WebSocketConnector#connectWithReconnect}): after a
 * failed connect or a lost connection it waits, then connects again with a new protocol
 * instance. The waits grow exponentially from {@code initialDelay} by {@code multiplier}
 * up to {@code maxDelay}, each varied at random by up to {@code jitter} of itself (so
 * that many clients of a restarted server do not come back at once). A connection that
 * stays open for {@code resetAfter} starts the count again. It gives up after
 * {@code maxAttempts} attempts in a row (0: never), and stops for good on a close code it
 * treats as final ({@code finalCloseCodes}, 1008 by default), on a close the application
 * made itself (its {@code sendClose} or {@code dropConnection}), on
 * {@link ReconnectingConnection#stop()} and when the application shuts down.
 * <p>
 * Immutable; {@link #builder()} starts from the defaults of
 * {@code autobahn.websocket.client.reconnect.*}.
 */
public final class ReconnectPolicy {

	private final Duration initialDelay;

	private final Duration maxDelay;

	private final double multiplier;

	private final double jitter;

	private final int maxAttempts;

	private final Duration resetAfter;

	private final Set<Integer> finalCloseCodes;

	private ReconnectPolicy(Builder builder) {
		this.initialDelay = builder.initialDelay;
		this.maxDelay = builder.maxDelay;
		this.multiplier = builder.multiplier;
		this.jitter = builder.jitter;
		this.maxAttempts = builder.maxAttempts;
		this.resetAfter = builder.resetAfter;
		this.finalCloseCodes = Set.copyOf(builder.finalCloseCodes);
	}

	/**
	 * Return a builder with the defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the policy with the defaults: 1 s doubling up to 30 s, 20% jitter, no limit
	 * on attempts, reset after 30 s open, 1008 final.
	 * @return the policy
	 */
	public static ReconnectPolicy defaults() {
		return builder().build();
	}

	/**
	 * Return a builder that starts from this policy.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * Return how long to wait before an attempt.
	 * @param attempt the attempt, from 1, since the last connection that stayed open for
	 * {@link #getResetAfter()}
	 * @param random a number in [0, 1), that picks the jitter
	 * @return the wait
	 */
	public Duration delay(int attempt, double random) {
		double nanos = this.initialDelay.toNanos() * Math.pow(this.multiplier, Math.max(0, attempt - 1));
		double capped = Math.min(nanos, this.maxDelay.toNanos());
		double jittered = capped * (1 - this.jitter + 2 * this.jitter * random);
		return Duration.ofNanos((long) Math.max(0, Math.min(jittered, this.maxDelay.toNanos())));
	}

	/**
	 * Return whether a close with this code from the server ends reconnecting.
	 * @param code the close code, or {@code null} for none
	 * @return whether it is final
	 */
	public boolean isFinal(@Nullable Integer code) {
		return code != null && this.finalCloseCodes.contains(code);
	}

	/**
	 * Return whether another attempt may follow this many in a row.
	 * @param attempts the attempts made since the last stable connection
	 * @return whether to try again
	 */
	public boolean mayRetry(int attempts) {
		return this.maxAttempts <= 0 || attempts < this.maxAttempts;
	}

	/**
	 * Return the wait before the first attempt.
	 * @return the wait before the first attempt
	 */
	public Duration getInitialDelay() {
		return this.initialDelay;
	}

	/**
	 * Return the longest wait.
	 * @return the longest wait
	 */
	public Duration getMaxDelay() {
		return this.maxDelay;
	}

	/**
	 * Return the factor each wait grows by.
	 * @return the factor each wait grows by
	 */
	public double getMultiplier() {
		return this.multiplier;
	}

	/**
	 * Return how much each wait varies, as a fraction of it.
	 * @return how much each wait varies
	 */
	public double getJitter() {
		return this.jitter;
	}

	/**
	 * Return the attempts in a row after which to give up, or {@code 0} for no limit.
	 * @return the attempts in a row after which to give up
	 */
	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	/**
	 * Return how long a connection must stay open to start the count again.
	 * @return how long a connection must stay open to start the count again
	 */
	public Duration getResetAfter() {
		return this.resetAfter;
	}

	/**
	 * Return the close codes from the server that end reconnecting.
	 * @return the close codes from the server that end reconnecting
	 */
	public Set<Integer> getFinalCloseCodes() {
		return this.finalCloseCodes;
	}

	@Override
	public String toString() {
		return "ReconnectPolicy[initialDelay=" + this.initialDelay + ", maxDelay=" + this.maxDelay + ", multiplier="
				+ this.multiplier + ", jitter=" + this.jitter + ", maxAttempts=" + this.maxAttempts + ", resetAfter="
				+ this.resetAfter + ", finalCloseCodes=" + this.finalCloseCodes + "]";
	}

	/**
	 * Builds a {@link ReconnectPolicy}; not thread-safe.
	 */
	public static final class Builder {

		private Duration initialDelay = Duration.ofSeconds(1);

		private Duration maxDelay = Duration.ofSeconds(30);

		private double multiplier = 2;

		private double jitter = 0.2;

		private int maxAttempts;

		private Duration resetAfter = Duration.ofSeconds(30);

		private Set<Integer> finalCloseCodes = Set.of(WebSocketProtocol.CLOSE_STATUS_CODE_POLICY_VIOLATION);

		private Builder() {
		}

		private Builder(ReconnectPolicy policy) {
			this.initialDelay = policy.initialDelay;
			this.maxDelay = policy.maxDelay;
			this.multiplier = policy.multiplier;
			this.jitter = policy.jitter;
			this.maxAttempts = policy.maxAttempts;
			this.resetAfter = policy.resetAfter;
			this.finalCloseCodes = policy.finalCloseCodes;
		}

		/**
		 * Set the wait before the first attempt (default: 1 s).
		 * @param initialDelay the wait
		 * @return this builder
		 */
		public Builder initialDelay(Duration initialDelay) {
			Assert.isTrue(!initialDelay.isNegative(), "initialDelay must not be negative");
			this.initialDelay = initialDelay;
			return this;
		}

		/**
		 * Set the longest wait (default: 30 s).
		 * @param maxDelay the wait
		 * @return this builder
		 */
		public Builder maxDelay(Duration maxDelay) {
			Assert.isTrue(!maxDelay.isNegative(), "maxDelay must not be negative");
			this.maxDelay = maxDelay;
			return this;
		}

		/**
		 * Set the factor each wait grows by (default: 2).
		 * @param multiplier at least 1
		 * @return this builder
		 */
		public Builder multiplier(double multiplier) {
			Assert.isTrue(multiplier >= 1, "multiplier must be at least 1");
			this.multiplier = multiplier;
			return this;
		}

		/**
		 * Set how much each wait varies at random, as a fraction of it (default: 0.2, up
		 * to 20% shorter or longer).
		 * @param jitter between 0 and 1
		 * @return this builder
		 */
		public Builder jitter(double jitter) {
			Assert.isTrue(jitter >= 0 && jitter <= 1, "jitter must be between 0 and 1");
			this.jitter = jitter;
			return this;
		}

		/**
		 * Set the attempts in a row after which to give up (default: 0, never).
		 * @param maxAttempts the attempts, or {@code 0} for no limit
		 * @return this builder
		 */
		public Builder maxAttempts(int maxAttempts) {
			Assert.isTrue(maxAttempts >= 0, "maxAttempts must not be negative");
			this.maxAttempts = maxAttempts;
			return this;
		}

		/**
		 * Set how long a connection must stay open for the waits to start again from the
		 * initial delay (default: 30 s).
		 * @param resetAfter the time
		 * @return this builder
		 */
		public Builder resetAfter(Duration resetAfter) {
			Assert.isTrue(!resetAfter.isNegative(), "resetAfter must not be negative");
			this.resetAfter = resetAfter;
			return this;
		}

		/**
		 * Set the close codes from the server that end reconnecting (default: 1008).
		 * @param finalCloseCodes the codes, such as 1008 and the application's own 4xxx
		 * @return this builder
		 */
		public Builder finalCloseCodes(Set<Integer> finalCloseCodes) {
			this.finalCloseCodes = Set.copyOf(finalCloseCodes);
			return this;
		}

		/**
		 * Build the policy.
		 * @return the policy
		 */
		public ReconnectPolicy build() {
			Assert.isTrue(this.maxDelay.compareTo(this.initialDelay) >= 0, "maxDelay must be at least initialDelay");
			return new ReconnectPolicy(this);
		}

	}

}
