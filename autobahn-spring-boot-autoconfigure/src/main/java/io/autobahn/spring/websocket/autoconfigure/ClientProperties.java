package io.autobahn.spring.websocket.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;

/**
 * The options of the application's WebSocket clients ({@code autobahn.websocket.client}):
 * the defaults of every connect ({@code WebSocketConnector.getDefaultOptions()}), which
 * transport connects, and the default reconnect policy. Bound once at startup, then only
 * read.
 */
public class ClientProperties {

	/**
	 * Which library connects: auto picks Reactor Netty's WebSocket client where
	 * reactor-netty-http is on the class path (the fastest here), else the JDK's
	 * java.net.http.WebSocket (no dependency, no permessage-deflate).
	 */
	private Transport transport = Transport.AUTO;

	/**
	 * Origin header to send. Not set: none (non-browser clients usually send none).
	 */
	private @Nullable String origin;

	/**
	 * Subprotocols to offer, in order of preference.
	 */
	private List<String> subprotocols = new ArrayList<>();

	/**
	 * Extra headers of the opening handshake, by name.
	 */
	private Map<String, String> headers = new LinkedHashMap<>();

	/**
	 * Whether to offer permessage-deflate (with the reactor-netty transport; the JDK's
	 * client has no compression).
	 */
	private boolean perMessageDeflate = true;

	/**
	 * How long connecting may take: TCP, TLS and the opening handshake. 0: no limit.
	 */
	private Duration openHandshakeTimeout = Duration.ofSeconds(5);

	/**
	 * How long to wait for the server's close frame after sending one before dropping the
	 * connection.
	 */
	private Duration closeHandshakeTimeout = Duration.ofSeconds(1);

	/**
	 * Interval of client-initiated pings. Not set: no automatic pings.
	 */
	private @Nullable Duration autoPingInterval;

	/**
	 * How long to wait for the pong to an automatic ping before dropping the connection.
	 * Not set: pings are sent but nobody waits for the pong.
	 */
	private @Nullable Duration autoPingTimeout;

	/**
	 * Payload size of automatic pings in bytes (12-125).
	 */
	private int autoPingSize = 12;

	/**
	 * Largest incoming message, measured after decompression. A larger message closes the
	 * connection with 1009.
	 */
	private DataSize maxMessagePayloadSize = DataSize.ofMegabytes(1);

	/**
	 * Largest incoming frame payload. Not set: only max-message-payload-size applies.
	 */
	private @Nullable DataSize maxFramePayloadSize;

	/**
	 * Outgoing messages longer than this are sent in fragments of this size. Not set: no
	 * automatic fragmentation.
	 */
	private @Nullable DataSize autoFragmentSize;

	/**
	 * Most bytes queued for sending per connection. Past it the connection is dropped and
	 * the failing send raises Disconnected.
	 */
	private DataSize sendBufferSizeLimit = DataSize.ofMegabytes(1);

	/**
	 * Longest a single write may take before the connection is dropped.
	 */
	private Duration sendTimeLimit = Duration.ofSeconds(10);

	/**
	 * Whether the clients' hooks may block. With the reactor-netty transport they then
	 * run on Reactor's bounded-elastic scheduler instead of the event loop.
	 */
	private boolean blockingHooks;

	/**
	 * Name of the SSL bundle (spring.ssl.bundle.*) whose trust material (and key, for a
	 * client certificate) secures wss. Not set: the JVM's trusted certificates. Host
	 * names are verified either way.
	 */
	private @Nullable String sslBundle;

	/**
	 * HTTP proxy to connect through, with CONNECT.
	 */
	@NestedConfigurationProperty
	private final Proxy proxy = new Proxy();

	/**
	 * The default policy of connectWithReconnect.
	 */
	@NestedConfigurationProperty
	private final Reconnect reconnect = new Reconnect();

	public Transport getTransport() {
		return this.transport;
	}

	public void setTransport(Transport transport) {
		this.transport = transport;
	}

	public @Nullable String getOrigin() {
		return this.origin;
	}

	public void setOrigin(@Nullable String origin) {
		this.origin = origin;
	}

	public List<String> getSubprotocols() {
		return this.subprotocols;
	}

	public void setSubprotocols(List<String> subprotocols) {
		this.subprotocols = subprotocols;
	}

	public Map<String, String> getHeaders() {
		return this.headers;
	}

	public void setHeaders(Map<String, String> headers) {
		this.headers = headers;
	}

	public boolean isPerMessageDeflate() {
		return this.perMessageDeflate;
	}

	public void setPerMessageDeflate(boolean perMessageDeflate) {
		this.perMessageDeflate = perMessageDeflate;
	}

	public Duration getOpenHandshakeTimeout() {
		return this.openHandshakeTimeout;
	}

	public void setOpenHandshakeTimeout(Duration openHandshakeTimeout) {
		this.openHandshakeTimeout = openHandshakeTimeout;
	}

	public Duration getCloseHandshakeTimeout() {
		return this.closeHandshakeTimeout;
	}

	public void setCloseHandshakeTimeout(Duration closeHandshakeTimeout) {
		this.closeHandshakeTimeout = closeHandshakeTimeout;
	}

	public @Nullable Duration getAutoPingInterval() {
		return this.autoPingInterval;
	}

	public void setAutoPingInterval(@Nullable Duration autoPingInterval) {
		this.autoPingInterval = autoPingInterval;
	}

	public @Nullable Duration getAutoPingTimeout() {
		return this.autoPingTimeout;
	}

	public void setAutoPingTimeout(@Nullable Duration autoPingTimeout) {
		this.autoPingTimeout = autoPingTimeout;
	}

	public int getAutoPingSize() {
		return this.autoPingSize;
	}

	public void setAutoPingSize(int autoPingSize) {
		this.autoPingSize = autoPingSize;
	}

	public DataSize getMaxMessagePayloadSize() {
		return this.maxMessagePayloadSize;
	}

	public void setMaxMessagePayloadSize(DataSize maxMessagePayloadSize) {
		this.maxMessagePayloadSize = maxMessagePayloadSize;
	}

	public @Nullable DataSize getMaxFramePayloadSize() {
		return this.maxFramePayloadSize;
	}

	public void setMaxFramePayloadSize(@Nullable DataSize maxFramePayloadSize) {
		this.maxFramePayloadSize = maxFramePayloadSize;
	}

	public @Nullable DataSize getAutoFragmentSize() {
		return this.autoFragmentSize;
	}

	public void setAutoFragmentSize(@Nullable DataSize autoFragmentSize) {
		this.autoFragmentSize = autoFragmentSize;
	}

	public DataSize getSendBufferSizeLimit() {
		return this.sendBufferSizeLimit;
	}

	public void setSendBufferSizeLimit(DataSize sendBufferSizeLimit) {
		this.sendBufferSizeLimit = sendBufferSizeLimit;
	}

	public Duration getSendTimeLimit() {
		return this.sendTimeLimit;
	}

	public void setSendTimeLimit(Duration sendTimeLimit) {
		this.sendTimeLimit = sendTimeLimit;
	}

	public boolean isBlockingHooks() {
		return this.blockingHooks;
	}

	public void setBlockingHooks(boolean blockingHooks) {
		this.blockingHooks = blockingHooks;
	}

	public @Nullable String getSslBundle() {
		return this.sslBundle;
	}

	public void setSslBundle(@Nullable String sslBundle) {
		this.sslBundle = sslBundle;
	}

	public Proxy getProxy() {
		return this.proxy;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	/**
	 * Reject values out of their bounds, as Spring Boot reports a binding error: with the
	 * property, its value and where it was set.
	 * @param errors the errors of the binding being validated
	 */
	void validate(Errors errors) {
		WebSocketOptions.check(errors, "openHandshakeTimeout", this.openHandshakeTimeout,
				(timeout) -> !timeout.isNegative(), "must not be negative (0: none)");
		WebSocketOptions.check(errors, "closeHandshakeTimeout", this.closeHandshakeTimeout,
				(timeout) -> !timeout.isNegative(), "must not be negative");
		WebSocketOptions.check(errors, "autoPingInterval", this.autoPingInterval, (interval) -> !interval.isNegative(),
				"must not be negative");
		WebSocketOptions.check(errors, "autoPingTimeout", this.autoPingTimeout,
				(timeout) -> !timeout.isNegative() && !timeout.isZero(), "must be positive");
		WebSocketOptions.check(errors, "autoPingSize", this.autoPingSize, (size) -> size >= 12 && size <= 125,
				"must be between 12 and 125 bytes");
		WebSocketOptions.check(errors, "maxMessagePayloadSize", this.maxMessagePayloadSize,
				(size) -> size.toBytes() > 0, "must be positive");
		WebSocketOptions.check(errors, "maxFramePayloadSize", this.maxFramePayloadSize, (size) -> size.toBytes() > 0,
				"must be positive");
		WebSocketOptions.check(errors, "autoFragmentSize", this.autoFragmentSize,
				(size) -> size.toBytes() >= 0 && size.toBytes() <= Integer.MAX_VALUE,
				"must be between 0 and " + Integer.MAX_VALUE + " bytes");
		WebSocketOptions.check(errors, "sendBufferSizeLimit", this.sendBufferSizeLimit, (size) -> size.toBytes() > 0,
				"must be positive");
		WebSocketOptions.check(errors, "sendTimeLimit", this.sendTimeLimit,
				(limit) -> !limit.isNegative() && !limit.isZero(), "must be positive");
		if ((this.proxy.getHost() == null) != (this.proxy.getPort() == null)) {
			errors.rejectValue("proxy", "incomplete", "needs both a host and a port");
		}
	}

	/**
	 * The library that connects.
	 */
	public enum Transport {

		/** Reactor Netty where it is on the class path, else the JDK's client. */
		AUTO,

		/** Reactor Netty's WebSocket client (reactor-netty-http). */
		REACTOR_NETTY,

		/** The JDK's java.net.http.WebSocket. */
		JDK

	}

	/**
	 * An HTTP proxy.
	 */
	public static class Proxy {

		/**
		 * Host of the HTTP proxy. Not set: connect directly.
		 */
		private @Nullable String host;

		/**
		 * Port of the HTTP proxy.
		 */
		private @Nullable Integer port;

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

	}

	/**
	 * The default reconnect policy.
	 */
	public static class Reconnect {

		/**
		 * Wait before the first reconnect attempt.
		 */
		private Duration initialDelay = Duration.ofSeconds(1);

		/**
		 * Longest wait between attempts.
		 */
		private Duration maxDelay = Duration.ofSeconds(30);

		/**
		 * Factor each wait grows by.
		 */
		private double multiplier = 2;

		/**
		 * How much each wait varies at random, as a fraction of it (0-1).
		 */
		private double jitter = 0.2;

		/**
		 * Attempts in a row after which to give up. 0: never give up.
		 */
		private int maxAttempts;

		/**
		 * How long a connection must stay open for the waits to start again from
		 * initial-delay.
		 */
		private Duration resetAfter = Duration.ofSeconds(30);

		/**
		 * Close codes from the server that end reconnecting, such as 1008 and the
		 * application's own 4xxx codes.
		 */
		private Set<Integer> finalCloseCodes = Set.of(1008);

		public Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getResetAfter() {
			return this.resetAfter;
		}

		public void setResetAfter(Duration resetAfter) {
			this.resetAfter = resetAfter;
		}

		public Set<Integer> getFinalCloseCodes() {
			return this.finalCloseCodes;
		}

		public void setFinalCloseCodes(Set<Integer> finalCloseCodes) {
			this.finalCloseCodes = finalCloseCodes;
		}

		/**
		 * Reject values out of their bounds.
		 * @param errors the errors of the binding being validated
		 */
		void validate(Errors errors) {
			WebSocketOptions.check(errors, "initialDelay", this.initialDelay, (delay) -> !delay.isNegative(),
					"must not be negative");
			WebSocketOptions.check(errors, "maxDelay", this.maxDelay,
					(delay) -> delay.compareTo(this.initialDelay) >= 0, "must be at least initial-delay");
			WebSocketOptions.check(errors, "multiplier", this.multiplier, (multiplier) -> multiplier >= 1,
					"must be at least 1");
			WebSocketOptions.check(errors, "jitter", this.jitter, (jitter) -> jitter >= 0 && jitter <= 1,
					"must be between 0 and 1");
			WebSocketOptions.check(errors, "maxAttempts", this.maxAttempts, (attempts) -> attempts >= 0,
					"must not be negative (0: never give up)");
			WebSocketOptions.check(errors, "resetAfter", this.resetAfter, (after) -> !after.isNegative(),
					"must not be negative");
		}

	}

}
