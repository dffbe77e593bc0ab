package io.autobahn.spring.websocket;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;

/**
 * The options of a client connection: what its opening handshake asks for, its limits and
 * timeouts. Immutable; the connector's defaults
 * ({@link WebSocketConnector#getDefaultOptions()}, from
 * {@code autobahn.websocket.client.*}) are the usual start:
 * {@code connector.getDefaultOptions().toBuilder().origin("https://example.com").build()}.
 * {@link #builder()} starts from the same defaults as the properties.
 * <p>
 * Certificates and host names are verified for {@code wss}, against the JVM's trusted
 * certificates, or against an {@link SslBundle}'s.
 */
public final class WebSocketClientOptions {

	private final @Nullable String name;

	private final @Nullable String origin;

	private final List<String> subprotocols;

	private final HttpHeaders headers;

	private final boolean perMessageDeflate;

	private final Duration openHandshakeTimeout;

	private final Duration closeHandshakeTimeout;

	private final @Nullable Duration autoPingInterval;

	private final @Nullable Duration autoPingTimeout;

	private final int autoPingSize;

	private final long maxMessagePayloadSize;

	private final long maxFramePayloadSize;

	private final int autoFragmentSize;

	private final long sendBufferSizeLimit;

	private final Duration sendTimeLimit;

	private final boolean blockingHooks;

	private final @Nullable SslBundle sslBundle;

	private final @Nullable InetSocketAddress proxy;

	private WebSocketClientOptions(Builder builder) {
		this.name = builder.name;
		this.origin = builder.origin;
		this.subprotocols = List.copyOf(builder.subprotocols);
		this.headers = HttpHeaders.readOnlyHttpHeaders(HttpHeaders.copyOf(builder.headers));
		this.perMessageDeflate = builder.perMessageDeflate;
		this.openHandshakeTimeout = builder.openHandshakeTimeout;
		this.closeHandshakeTimeout = builder.closeHandshakeTimeout;
		this.autoPingInterval = builder.autoPingInterval;
		this.autoPingTimeout = builder.autoPingTimeout;
		this.autoPingSize = builder.autoPingSize;
		this.maxMessagePayloadSize = builder.maxMessagePayloadSize;
		this.maxFramePayloadSize = builder.maxFramePayloadSize;
		this.autoFragmentSize = builder.autoFragmentSize;
		this.sendBufferSizeLimit = builder.sendBufferSizeLimit;
		this.sendTimeLimit = builder.sendTimeLimit;
		this.blockingHooks = builder.blockingHooks;
		this.sslBundle = builder.sslBundle;
		this.proxy = builder.proxy;
	}

	/**
	 * Return a builder with the defaults of {@code autobahn.websocket.client.*}.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return options with the defaults of {@code autobahn.websocket.client.*}.
	 * @return the options
	 */
	public static WebSocketClientOptions defaults() {
		return builder().build();
	}

	/**
	 * Return a builder that starts from these options.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * Return the client's name, under which its connections are listed and measured.
	 * @return the name, or {@code null} for the protocol bean's name (or its class's)
	 */
	public @Nullable String getName() {
		return this.name;
	}

	/**
	 * Return the {@code Origin} header to send.
	 * @return the origin, or {@code null} to send none
	 */
	public @Nullable String getOrigin() {
		return this.origin;
	}

	/**
	 * Return the subprotocols to offer.
	 * @return the subprotocols, in order of preference
	 */
	public List<String> getSubprotocols() {
		return this.subprotocols;
	}

	/**
	 * Return the extra headers of the opening handshake.
	 * @return read-only headers
	 */
	public HttpHeaders getHeaders() {
		return this.headers;
	}

	/**
	 * Return whether to offer permessage-deflate (with a transport that supports it).
	 * @return whether to offer compression
	 */
	public boolean isPerMessageDeflate() {
		return this.perMessageDeflate;
	}

	/**
	 * Return how long connecting may take: TCP, TLS and the opening handshake.
	 * @return the timeout, {@link Duration#ZERO} for none
	 */
	public Duration getOpenHandshakeTimeout() {
		return this.openHandshakeTimeout;
	}

	/**
	 * Return how long to wait for the server's close frame after sending one.
	 * @return the timeout
	 */
	public Duration getCloseHandshakeTimeout() {
		return this.closeHandshakeTimeout;
	}

	/**
	 * Return the interval of the client's automatic pings.
	 * @return the interval, or {@code null} for none
	 */
	public @Nullable Duration getAutoPingInterval() {
		return this.autoPingInterval;
	}

	/**
	 * Return how long to wait for the pong to an automatic ping before dropping the
	 * connection.
	 * @return the timeout, or {@code null} for none
	 */
	public @Nullable Duration getAutoPingTimeout() {
		return this.autoPingTimeout;
	}

	/**
	 * Return the payload size of automatic pings.
	 * @return the size in bytes (12-125)
	 */
	public int getAutoPingSize() {
		return this.autoPingSize;
	}

	/**
	 * Return the largest incoming message.
	 * @return the limit in bytes, after decompression
	 */
	public long getMaxMessagePayloadSize() {
		return this.maxMessagePayloadSize;
	}

	/**
	 * Return the largest incoming frame payload.
	 * @return the limit in bytes, or {@code 0} for the message limit only
	 */
	public long getMaxFramePayloadSize() {
		return this.maxFramePayloadSize;
	}

	/**
	 * Return the size outgoing messages are fragmented to.
	 * @return the size in bytes, or {@code 0} for no automatic fragmentation
	 */
	public int getAutoFragmentSize() {
		return this.autoFragmentSize;
	}

	/**
	 * Return the most bytes queued for sending.
	 * @return the limit in bytes
	 */
	public long getSendBufferSizeLimit() {
		return this.sendBufferSizeLimit;
	}

	/**
	 * Return the longest a single write may take.
	 * @return the time limit
	 */
	public Duration getSendTimeLimit() {
		return this.sendTimeLimit;
	}

	/**
	 * Return whether the hooks may block (then they run off the Reactor Netty event
	 * loop).
	 * @return whether the hooks may block
	 */
	public boolean isBlockingHooks() {
		return this.blockingHooks;
	}

	/**
	 * Return the SSL bundle whose trust material (and key, for a client certificate)
	 * secures {@code wss}.
	 * @return the bundle, or {@code null} for the JVM's default trust
	 */
	public @Nullable SslBundle getSslBundle() {
		return this.sslBundle;
	}

	/**
	 * Return the HTTP proxy to connect through (with {@code CONNECT}).
	 * @return the proxy, or {@code null} for a direct connection
	 */
	public @Nullable InetSocketAddress getProxy() {
		return this.proxy;
	}

	@Override
	public String toString() {
		return "WebSocketClientOptions[name=" + this.name + ", origin=" + this.origin + ", subprotocols="
				+ this.subprotocols + ", headers=" + this.headers.headerNames() + ", perMessageDeflate="
				+ this.perMessageDeflate + ", openHandshakeTimeout=" + this.openHandshakeTimeout
				+ ", maxMessagePayloadSize=" + this.maxMessagePayloadSize + ", proxy=" + this.proxy + "]";
	}

	/**
	 * Builds {@link WebSocketClientOptions}; not thread-safe, meant to be used once.
	 */
	public static final class Builder {

		private @Nullable String name;

		private @Nullable String origin;

		private List<String> subprotocols = List.of();

		private final HttpHeaders headers = new HttpHeaders();

		private boolean perMessageDeflate = true;

		private Duration openHandshakeTimeout = Duration.ofSeconds(5);

		private Duration closeHandshakeTimeout = Duration.ofSeconds(1);

		private @Nullable Duration autoPingInterval;

		private @Nullable Duration autoPingTimeout;

		private int autoPingSize = 12;

		private long maxMessagePayloadSize = 1024 * 1024;

		private long maxFramePayloadSize;

		private int autoFragmentSize;

		private long sendBufferSizeLimit = 1024 * 1024;

		private Duration sendTimeLimit = Duration.ofSeconds(10);

		private boolean blockingHooks;

		private @Nullable SslBundle sslBundle;

		private @Nullable InetSocketAddress proxy;

		private Builder() {
		}

		private Builder(WebSocketClientOptions options) {
			this.name = options.name;
			this.origin = options.origin;
			this.subprotocols = options.subprotocols;
			this.headers.putAll(options.headers);
			this.perMessageDeflate = options.perMessageDeflate;
			this.openHandshakeTimeout = options.openHandshakeTimeout;
			this.closeHandshakeTimeout = options.closeHandshakeTimeout;
			this.autoPingInterval = options.autoPingInterval;
			this.autoPingTimeout = options.autoPingTimeout;
			this.autoPingSize = options.autoPingSize;
			this.maxMessagePayloadSize = options.maxMessagePayloadSize;
			this.maxFramePayloadSize = options.maxFramePayloadSize;
			this.autoFragmentSize = options.autoFragmentSize;
			this.sendBufferSizeLimit = options.sendBufferSizeLimit;
			this.sendTimeLimit = options.sendTimeLimit;
			this.blockingHooks = options.blockingHooks;
			this.sslBundle = options.sslBundle;
			this.proxy = options.proxy;
		}

		/**
		 * Set the client's name, under which its connections are listed and measured
		 * (default: the protocol bean's name, or its class's).
		 * @param name a name from a small set, as it becomes a metric tag
		 * @return this builder
		 */
		public Builder name(@Nullable String name) {
			this.name = name;
			return this;
		}

		/**
		 * Set the {@code Origin} header (default: none).
		 * @param origin the origin, such as {@code https://example.com}, or {@code null}
		 * @return this builder
		 */
		public Builder origin(@Nullable String origin) {
			this.origin = origin;
			return this;
		}

		/**
		 * Set the subprotocols to offer (default: none).
		 * @param subprotocols the subprotocols, in order of preference
		 * @return this builder
		 */
		public Builder subprotocols(List<String> subprotocols) {
			this.subprotocols = List.copyOf(subprotocols);
			return this;
		}

		/**
		 * Set a header of the opening handshake, replacing its values so far.
		 * @param name the header's name
		 * @param values its values
		 * @return this builder
		 */
		public Builder header(String name, String... values) {
			this.headers.put(name, List.of(values));
			return this;
		}

		/**
		 * Set whether to offer permessage-deflate (default: {@code true}).
		 * @param perMessageDeflate whether to offer compression
		 * @return this builder
		 */
		public Builder perMessageDeflate(boolean perMessageDeflate) {
			this.perMessageDeflate = perMessageDeflate;
			return this;
		}

		/**
		 * Set how long connecting may take (default: 5 s).
		 * @param openHandshakeTimeout the timeout, {@link Duration#ZERO} for none
		 * @return this builder
		 */
		public Builder openHandshakeTimeout(Duration openHandshakeTimeout) {
			Assert.isTrue(!openHandshakeTimeout.isNegative(), "openHandshakeTimeout must not be negative");
			this.openHandshakeTimeout = openHandshakeTimeout;
			return this;
		}

		/**
		 * Set how long to wait for the server's close frame (default: 1 s).
		 * @param closeHandshakeTimeout the timeout
		 * @return this builder
		 */
		public Builder closeHandshakeTimeout(Duration closeHandshakeTimeout) {
			Assert.isTrue(!closeHandshakeTimeout.isNegative(), "closeHandshakeTimeout must not be negative");
			this.closeHandshakeTimeout = closeHandshakeTimeout;
			return this;
		}

		/**
		 * Set the interval of automatic pings (default: none).
		 * @param autoPingInterval the interval, or {@code null}
		 * @return this builder
		 */
		public Builder autoPingInterval(@Nullable Duration autoPingInterval) {
			this.autoPingInterval = autoPingInterval;
			return this;
		}

		/**
		 * Set how long to wait for the pong to an automatic ping (default: none).
		 * @param autoPingTimeout the timeout, or {@code null}
		 * @return this builder
		 */
		public Builder autoPingTimeout(@Nullable Duration autoPingTimeout) {
			this.autoPingTimeout = autoPingTimeout;
			return this;
		}

		/**
		 * Set the payload size of automatic pings (default: 12).
		 * @param autoPingSize the size in bytes (12-125)
		 * @return this builder
		 */
		public Builder autoPingSize(int autoPingSize) {
			Assert.isTrue(autoPingSize >= 12 && autoPingSize <= 125, "autoPingSize must be between 12 and 125");
			this.autoPingSize = autoPingSize;
			return this;
		}

		/**
		 * Set the largest incoming message (default: 1 MiB); a larger one closes the
		 * connection with 1009.
		 * @param maxMessagePayloadSize the limit in bytes, after decompression
		 * @return this builder
		 */
		public Builder maxMessagePayloadSize(long maxMessagePayloadSize) {
			Assert.isTrue(maxMessagePayloadSize > 0, "maxMessagePayloadSize must be positive");
			this.maxMessagePayloadSize = maxMessagePayloadSize;
			return this;
		}

		/**
		 * Set the largest incoming frame payload (default: the message limit only).
		 * @param maxFramePayloadSize the limit in bytes, or {@code 0}
		 * @return this builder
		 */
		public Builder maxFramePayloadSize(long maxFramePayloadSize) {
			Assert.isTrue(maxFramePayloadSize >= 0, "maxFramePayloadSize must not be negative");
			this.maxFramePayloadSize = maxFramePayloadSize;
			return this;
		}

		/**
		 * Set the size outgoing messages are fragmented to (default: none).
		 * @param autoFragmentSize the size in bytes, or {@code 0}
		 * @return this builder
		 */
		public Builder autoFragmentSize(int autoFragmentSize) {
			Assert.isTrue(autoFragmentSize >= 0, "autoFragmentSize must not be negative");
			this.autoFragmentSize = autoFragmentSize;
			return this;
		}

		/**
		 * Set the most bytes queued for sending (default: 1 MiB); past it the connection
		 * is dropped and the send raises {@link Disconnected}.
		 * @param sendBufferSizeLimit the limit in bytes
		 * @return this builder
		 */
		public Builder sendBufferSizeLimit(long sendBufferSizeLimit) {
			Assert.isTrue(sendBufferSizeLimit > 0, "sendBufferSizeLimit must be positive");
			this.sendBufferSizeLimit = sendBufferSizeLimit;
			return this;
		}

		/**
		 * Set the longest a single write may take (default: 10 s).
		 * @param sendTimeLimit the time limit
		 * @return this builder
		 */
		public Builder sendTimeLimit(Duration sendTimeLimit) {
			Assert.isTrue(!sendTimeLimit.isNegative() && !sendTimeLimit.isZero(), "sendTimeLimit must be positive");
			this.sendTimeLimit = sendTimeLimit;
			return this;
		}

		/**
		 * Set whether the hooks may block (default: {@code false}): with Reactor Netty
		 * they then run on Reactor's bounded-elastic scheduler instead of the event loop.
		 * @param blockingHooks whether the hooks may block
		 * @return this builder
		 */
		public Builder blockingHooks(boolean blockingHooks) {
			this.blockingHooks = blockingHooks;
			return this;
		}

		/**
		 * Set the SSL bundle that secures {@code wss} (default: the JVM's trusted
		 * certificates).
		 * @param sslBundle the bundle, or {@code null}
		 * @return this builder
		 */
		public Builder sslBundle(@Nullable SslBundle sslBundle) {
			this.sslBundle = sslBundle;
			return this;
		}

		/**
		 * Set an HTTP proxy to connect through (default: none).
		 * @param proxy the proxy's address (unresolved is fine), or {@code null}
		 * @return this builder
		 */
		public Builder proxy(@Nullable InetSocketAddress proxy) {
			this.proxy = proxy;
			return this;
		}

		/**
		 * Build the options.
		 * @return the options
		 */
		public WebSocketClientOptions build() {
			return new WebSocketClientOptions(this);
		}

	}

}
