package io.autobahn.spring.websocket.core;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The resolved options of one endpoint, independent of the web stack: immutable, and so
 * safe to read from any thread. Built once at startup with {@link #builder()}, from the
 * application's configuration; where an option is defined and documented, and what it
 * defaults to, is said by the configuration properties, not here.
 * <p>
 * An option the configuration leaves unset, such as {@code auto-ping-interval}, is
 * {@code null} (or {@code 0} for a size), which means "off"; {@code openHandshakeTimeout}
 * also tells whether it was set ({@link #isOpenHandshakeTimeoutSet()}), to tell an
 * explicit value from the default.
 * <p>
 * Over this project's usual length because it has a documented getter and builder method
 * for each of its twenty-one options, and nothing else.
 */
public final class EndpointSettings {

	/** The open handshake timeout where none is set, as Autobahn's. */
	public static final Duration DEFAULT_OPEN_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * The default {@code max-streamed-message-size}: 1 GiB (Spring's {@code 1GB}), a
	 * bound that a streamed message does not pass without the application asking for
	 * more.
	 */
	public static final long DEFAULT_MAX_STREAMED_MESSAGE_SIZE = 1024L * 1024 * 1024;

	private final List<String> allowedOrigins;

	private final long maxMessagePayloadSize;

	private final long maxFramePayloadSize;

	private final long maxStreamedMessageSize;

	private final int autoFragmentSize;

	private final @Nullable Duration openHandshakeTimeout;

	private final Duration closeHandshakeTimeout;

	private final @Nullable Duration autoPingInterval;

	private final @Nullable Duration autoPingTimeout;

	private final int autoPingSize;

	private final boolean autoPingRestartOnAnyTraffic;

	private final boolean perMessageCompression;

	private final List<String> subprotocols;

	private final long sendBufferSizeLimit;

	private final Duration sendTimeLimit;

	private final long sendBufferHighWaterMark;

	private final long sendBufferLowWaterMark;

	private final boolean blockingHooks;

	private final int maxConnections;

	private final long inboundBudget;

	private final long outboundBudget;

	private final int trustXForwardedFor;

	private EndpointSettings(Builder builder) {
		this.allowedOrigins = List.copyOf(builder.allowedOrigins);
		this.maxMessagePayloadSize = required(builder.maxMessagePayloadSize, "maxMessagePayloadSize");
		this.maxFramePayloadSize = builder.maxFramePayloadSize;
		this.maxStreamedMessageSize = builder.maxStreamedMessageSize;
		this.autoFragmentSize = builder.autoFragmentSize;
		this.openHandshakeTimeout = builder.openHandshakeTimeout;
		this.closeHandshakeTimeout = required(builder.closeHandshakeTimeout, "closeHandshakeTimeout");
		this.autoPingInterval = builder.autoPingInterval;
		this.autoPingTimeout = builder.autoPingTimeout;
		this.autoPingSize = required(builder.autoPingSize, "autoPingSize");
		this.autoPingRestartOnAnyTraffic = required(builder.autoPingRestartOnAnyTraffic, "autoPingRestartOnAnyTraffic");
		this.perMessageCompression = required(builder.perMessageCompression, "perMessageCompression");
		this.subprotocols = List.copyOf(builder.subprotocols);
		this.sendBufferSizeLimit = required(builder.sendBufferSizeLimit, "sendBufferSizeLimit");
		this.sendTimeLimit = required(builder.sendTimeLimit, "sendTimeLimit");
		this.sendBufferHighWaterMark = Math.min((builder.sendBufferHighWaterMark != null)
				? builder.sendBufferHighWaterMark : this.sendBufferSizeLimit / 2, this.sendBufferSizeLimit);
		this.sendBufferLowWaterMark = Math.min((builder.sendBufferLowWaterMark != null) ? builder.sendBufferLowWaterMark
				: this.sendBufferHighWaterMark / 2, this.sendBufferHighWaterMark);
		this.blockingHooks = required(builder.blockingHooks, "blockingHooks");
		this.maxConnections = builder.maxConnections;
		this.inboundBudget = builder.inboundBudget;
		this.outboundBudget = builder.outboundBudget;
		this.trustXForwardedFor = builder.trustXForwardedFor;
	}

	private static <T> T required(@Nullable T value, String name) {
		Assert.state(value != null, () -> name + " is not set");
		return value;
	}

	/**
	 * Return a builder with nothing set: the options without a meaning for "not set" must
	 * be given before {@link Builder#build()}.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the origins allowed to connect.
	 * @return origins or patterns; empty means same origin only
	 */
	public List<String> allowedOrigins() {
		return this.allowedOrigins;
	}

	/**
	 * Return the largest incoming message.
	 * @return the limit in bytes, after decompression
	 */
	public long maxMessagePayloadSize() {
		return this.maxMessagePayloadSize;
	}

	/**
	 * Return the largest incoming frame payload.
	 * @return the limit in bytes, or {@code 0} for no limit of its own
	 */
	public long maxFramePayloadSize() {
		return this.maxFramePayloadSize;
	}

	/**
	 * Return the largest incoming message of a protocol that streams its messages, which
	 * {@link #maxMessagePayloadSize()} does not bound.
	 * @return the limit in bytes, after decompression, or {@code 0} for none
	 */
	public long maxStreamedMessageSize() {
		return this.maxStreamedMessageSize;
	}

	/**
	 * Return the size outgoing messages are fragmented to.
	 * @return the fragment size in bytes, or {@code 0} for no automatic fragmentation
	 */
	public int autoFragmentSize() {
		return this.autoFragmentSize;
	}

	/**
	 * Return how long a client may take to complete the opening handshake.
	 * @return the configured timeout, or {@link #DEFAULT_OPEN_HANDSHAKE_TIMEOUT}
	 */
	public Duration openHandshakeTimeout() {
		return (this.openHandshakeTimeout != null) ? this.openHandshakeTimeout : DEFAULT_OPEN_HANDSHAKE_TIMEOUT;
	}

	/**
	 * Return whether the configuration sets the open handshake timeout, rather than
	 * leaving it at {@link #DEFAULT_OPEN_HANDSHAKE_TIMEOUT}.
	 * @return whether it was set
	 */
	public boolean isOpenHandshakeTimeoutSet() {
		return this.openHandshakeTimeout != null;
	}

	/**
	 * Return how long to wait for the peer's close frame before dropping the connection.
	 * @return the close handshake timeout
	 */
	public Duration closeHandshakeTimeout() {
		return this.closeHandshakeTimeout;
	}

	/**
	 * Return the interval of server pings.
	 * @return the interval, or {@code null} for none
	 */
	public @Nullable Duration autoPingInterval() {
		return this.autoPingInterval;
	}

	/**
	 * Return how long to wait for a pong before dropping the connection.
	 * @return the timeout, or {@code null} for none
	 */
	public @Nullable Duration autoPingTimeout() {
		return this.autoPingTimeout;
	}

	/**
	 * Return the ping payload size.
	 * @return the size in bytes (12-125)
	 */
	public int autoPingSize() {
		return this.autoPingSize;
	}

	/**
	 * Return whether any incoming message counts as a pong.
	 * @return whether any traffic answers a ping
	 */
	public boolean autoPingRestartOnAnyTraffic() {
		return this.autoPingRestartOnAnyTraffic;
	}

	/**
	 * Return whether permessage-deflate is negotiated.
	 * @return whether a client's offer is accepted
	 */
	public boolean perMessageCompression() {
		return this.perMessageCompression;
	}

	/**
	 * Return the subprotocols chosen automatically when offered and {@code onConnect}
	 * picks none.
	 * @return the subprotocols, in order of preference
	 */
	public List<String> subprotocols() {
		return this.subprotocols;
	}

	/**
	 * Return the most bytes queued for sending per connection.
	 * @return the limit in bytes
	 */
	public long sendBufferSizeLimit() {
		return this.sendBufferSizeLimit;
	}

	/**
	 * Return the longest a single send may take before the connection is considered
	 * stuck.
	 * @return the time limit
	 */
	public Duration sendTimeLimit() {
		return this.sendTimeLimit;
	}

	/**
	 * Return the bytes not yet written past which a connection is not writable.
	 * @return the high-water mark in bytes: as configured, at most the send buffer size
	 * limit; not configured, half of it
	 */
	public long sendBufferHighWaterMark() {
		return this.sendBufferHighWaterMark;
	}

	/**
	 * Return the bytes not yet written at which a connection that was not writable is
	 * writable again.
	 * @return the low-water mark in bytes: as configured, at most the high-water mark;
	 * not configured, half of it
	 */
	public long sendBufferLowWaterMark() {
		return this.sendBufferLowWaterMark;
	}

	/**
	 * Return whether hooks may block, so must not run on an event loop.
	 * @return whether the hooks may block
	 */
	public boolean blockingHooks() {
		return this.blockingHooks;
	}

	/**
	 * Return the most connections of the endpoint open at once.
	 * @return the limit, or {@code 0} for no limit of its own (the application's applies)
	 */
	public int maxConnections() {
		return this.maxConnections;
	}

	/**
	 * Return the most bytes the endpoint's partly received messages may hold together.
	 * @return the limit in bytes, or {@code 0} for no limit of its own (the application's
	 * applies)
	 */
	public long inboundBudget() {
		return this.inboundBudget;
	}

	/**
	 * Return the most bytes the endpoint's send queues may hold together.
	 * @return the limit in bytes, or {@code 0} for no limit of its own (the application's
	 * applies)
	 */
	public long outboundBudget() {
		return this.outboundBudget;
	}

	/**
	 * Return how many proxies in front of the server are trusted to append the address
	 * they received a request from to {@code X-Forwarded-For}, as Autobahn's
	 * {@code trustXForwardedFor}.
	 * @return the number of trusted hops, or {@code 0} to ignore the header
	 */
	public int trustXForwardedFor() {
		return this.trustXForwardedFor;
	}

	/**
	 * Return whether the server pings on its own.
	 * @return whether an auto-ping interval is set
	 */
	public boolean isAutoPingEnabled() {
		return this.autoPingInterval != null && !this.autoPingInterval.isZero();
	}

	/**
	 * Builds {@link EndpointSettings}; not thread-safe, meant to be used once. Setting an
	 * option twice keeps the last value, so defaults can be applied first and overrides
	 * after them.
	 */
	public static final class Builder {

		private List<String> allowedOrigins = List.of();

		private @Nullable Long maxMessagePayloadSize;

		private long maxFramePayloadSize;

		private long maxStreamedMessageSize;

		private int autoFragmentSize;

		private @Nullable Duration openHandshakeTimeout;

		private @Nullable Duration closeHandshakeTimeout;

		private @Nullable Duration autoPingInterval;

		private @Nullable Duration autoPingTimeout;

		private @Nullable Integer autoPingSize;

		private @Nullable Boolean autoPingRestartOnAnyTraffic;

		private @Nullable Boolean perMessageCompression;

		private List<String> subprotocols = List.of();

		private @Nullable Long sendBufferSizeLimit;

		private @Nullable Duration sendTimeLimit;

		private @Nullable Long sendBufferHighWaterMark;

		private @Nullable Long sendBufferLowWaterMark;

		private @Nullable Boolean blockingHooks;

		private int maxConnections;

		private long inboundBudget;

		private long outboundBudget;

		private int trustXForwardedFor;

		private Builder() {
		}

		/**
		 * Set the origins allowed to connect (not set: same origin only).
		 * @param allowedOrigins origins or patterns
		 * @return this builder
		 */
		public Builder allowedOrigins(List<String> allowedOrigins) {
			this.allowedOrigins = allowedOrigins;
			return this;
		}

		/**
		 * Set the largest incoming message (required).
		 * @param maxMessagePayloadSize the limit in bytes, after decompression
		 * @return this builder
		 */
		public Builder maxMessagePayloadSize(long maxMessagePayloadSize) {
			this.maxMessagePayloadSize = maxMessagePayloadSize;
			return this;
		}

		/**
		 * Set the largest incoming frame payload (not set: no limit of its own).
		 * @param maxFramePayloadSize the limit in bytes
		 * @return this builder
		 */
		public Builder maxFramePayloadSize(long maxFramePayloadSize) {
			this.maxFramePayloadSize = maxFramePayloadSize;
			return this;
		}

		/**
		 * Set the largest incoming message of a protocol that streams its messages (not
		 * set: none).
		 * @param maxStreamedMessageSize the limit in bytes, after decompression, or
		 * {@code 0} for none
		 * @return this builder
		 */
		public Builder maxStreamedMessageSize(long maxStreamedMessageSize) {
			this.maxStreamedMessageSize = maxStreamedMessageSize;
			return this;
		}

		/**
		 * Set the size outgoing messages are fragmented to (not set: no automatic
		 * fragmentation).
		 * @param autoFragmentSize the fragment size in bytes
		 * @return this builder
		 */
		public Builder autoFragmentSize(int autoFragmentSize) {
			this.autoFragmentSize = autoFragmentSize;
			return this;
		}

		/**
		 * Set the open handshake timeout (not set:
		 * {@link EndpointSettings#DEFAULT_OPEN_HANDSHAKE_TIMEOUT}).
		 * @param openHandshakeTimeout the timeout
		 * @return this builder
		 */
		public Builder openHandshakeTimeout(Duration openHandshakeTimeout) {
			this.openHandshakeTimeout = openHandshakeTimeout;
			return this;
		}

		/**
		 * Set how long to wait for the peer's close frame (required).
		 * @param closeHandshakeTimeout the timeout
		 * @return this builder
		 */
		public Builder closeHandshakeTimeout(Duration closeHandshakeTimeout) {
			this.closeHandshakeTimeout = closeHandshakeTimeout;
			return this;
		}

		/**
		 * Set the interval of server pings (not set: none).
		 * @param autoPingInterval the interval
		 * @return this builder
		 */
		public Builder autoPingInterval(Duration autoPingInterval) {
			this.autoPingInterval = autoPingInterval;
			return this;
		}

		/**
		 * Set how long to wait for a pong (not set: no timeout).
		 * @param autoPingTimeout the timeout
		 * @return this builder
		 */
		public Builder autoPingTimeout(Duration autoPingTimeout) {
			this.autoPingTimeout = autoPingTimeout;
			return this;
		}

		/**
		 * Set the ping payload size (required).
		 * @param autoPingSize the size in bytes (12-125)
		 * @return this builder
		 */
		public Builder autoPingSize(int autoPingSize) {
			this.autoPingSize = autoPingSize;
			return this;
		}

		/**
		 * Set whether any incoming message counts as a pong (required).
		 * @param autoPingRestartOnAnyTraffic whether any traffic answers a ping
		 * @return this builder
		 */
		public Builder autoPingRestartOnAnyTraffic(boolean autoPingRestartOnAnyTraffic) {
			this.autoPingRestartOnAnyTraffic = autoPingRestartOnAnyTraffic;
			return this;
		}

		/**
		 * Set whether permessage-deflate is negotiated (required).
		 * @param perMessageCompression whether a client's offer is accepted
		 * @return this builder
		 */
		public Builder perMessageCompression(boolean perMessageCompression) {
			this.perMessageCompression = perMessageCompression;
			return this;
		}

		/**
		 * Set the subprotocols chosen automatically (not set: none).
		 * @param subprotocols the subprotocols, in order of preference
		 * @return this builder
		 */
		public Builder subprotocols(List<String> subprotocols) {
			this.subprotocols = subprotocols;
			return this;
		}

		/**
		 * Set the most bytes queued for sending per connection (required).
		 * @param sendBufferSizeLimit the limit in bytes
		 * @return this builder
		 */
		public Builder sendBufferSizeLimit(long sendBufferSizeLimit) {
			this.sendBufferSizeLimit = sendBufferSizeLimit;
			return this;
		}

		/**
		 * Set the longest a single send may take (required).
		 * @param sendTimeLimit the time limit
		 * @return this builder
		 */
		public Builder sendTimeLimit(Duration sendTimeLimit) {
			this.sendTimeLimit = sendTimeLimit;
			return this;
		}

		/**
		 * Set the bytes not yet written past which a connection is not writable (not set:
		 * half the send buffer size limit; more than the limit: the limit).
		 * @param sendBufferHighWaterMark the high-water mark in bytes
		 * @return this builder
		 */
		public Builder sendBufferHighWaterMark(long sendBufferHighWaterMark) {
			this.sendBufferHighWaterMark = sendBufferHighWaterMark;
			return this;
		}

		/**
		 * Set the bytes not yet written at which a connection is writable again (not set:
		 * half the high-water mark; more than the high-water mark: the high-water mark).
		 * @param sendBufferLowWaterMark the low-water mark in bytes
		 * @return this builder
		 */
		public Builder sendBufferLowWaterMark(long sendBufferLowWaterMark) {
			this.sendBufferLowWaterMark = sendBufferLowWaterMark;
			return this;
		}

		/**
		 * Set whether hooks may block (required).
		 * @param blockingHooks whether the hooks may block
		 * @return this builder
		 */
		public Builder blockingHooks(boolean blockingHooks) {
			this.blockingHooks = blockingHooks;
			return this;
		}

		/**
		 * Set the most connections of the endpoint open at once (not set: no limit of its
		 * own).
		 * @param maxConnections the limit
		 * @return this builder
		 */
		public Builder maxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
			return this;
		}

		/**
		 * Set the most bytes the endpoint's partly received messages may hold together
		 * (not set: no limit of its own).
		 * @param inboundBudget the limit in bytes
		 * @return this builder
		 */
		public Builder inboundBudget(long inboundBudget) {
			this.inboundBudget = inboundBudget;
			return this;
		}

		/**
		 * Set the most bytes the endpoint's send queues may hold together (not set: no
		 * limit of its own).
		 * @param outboundBudget the limit in bytes
		 * @return this builder
		 */
		public Builder outboundBudget(long outboundBudget) {
			this.outboundBudget = outboundBudget;
			return this;
		}

		/**
		 * Set how many proxies are trusted to append to {@code X-Forwarded-For} (not set:
		 * none, the header is ignored).
		 * @param trustXForwardedFor the number of trusted hops
		 * @return this builder
		 */
		public Builder trustXForwardedFor(int trustXForwardedFor) {
			this.trustXForwardedFor = trustXForwardedFor;
			return this;
		}

		/**
		 * Build the settings.
		 * @return the settings
		 * @throws IllegalStateException if a required option is not set
		 */
		public EndpointSettings build() {
			return new EndpointSettings(this);
		}

	}

}
