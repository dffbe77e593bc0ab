package io.autobahn.spring.websocket.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

import io.autobahn.spring.websocket.ConnectingRequest;
import io.autobahn.spring.websocket.ConnectionResponse;
import io.autobahn.spring.websocket.TransportDetails;
import io.autobahn.spring.websocket.WebSocketClientOptions;
import io.autobahn.spring.websocket.WebSocketClientProtocol;
import io.autobahn.spring.websocket.WebSocketConnectException;
import io.autobahn.spring.websocket.WebSocketConnectException.Reason;
import io.autobahn.spring.websocket.core.ClientEndpoint;
import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.StackConnection;

/**
 * One connect, from the protocol instance to its {@code onOpen}: makes the instance, runs
 * {@code onConnecting}, hands the handshake to the transport, and gives it the open
 * handshake timeout; on the checked {@code 101} the connection goes to the engine's
 * client front. Whichever comes first decides the connect (the {@code 101}, a failure,
 * the timeout, the connector's stop), once; a connect given up disposes of its instance.
 * Its future completes after {@code onOpen} returned, and fails if the connection closes
 * before. Thread-safe; one per connect.
 */
final class ClientConnect<P extends WebSocketClientProtocol>
		implements ClientTransport.Callbacks, ClientEndpoint.Listener {

	private static final Log logger = LogFactory.getLog(ClientConnect.class);

	private final DefaultWebSocketConnector connector;

	private final URI uri;

	private final WebSocketClientOptions options;

	private final Supplier<? extends P> factory;

	private final Consumer<WebSocketClientProtocol> disposer;

	private final @Nullable String name;

	private final @Nullable CloseListener closeListener;

	private final CompletableFuture<P> result = new CompletableFuture<>();

	/** Set by whichever outcome comes first. */
	private final AtomicBoolean decided = new AtomicBoolean();

	private volatile @Nullable P protocol;

	private volatile @Nullable String clientName;

	private volatile @Nullable ClientHandshake handshake;

	private volatile @Nullable ScheduledFuture<?> timeout;

	private volatile ClientTransport.@Nullable Connecting connecting;

	ClientConnect(DefaultWebSocketConnector connector, URI uri, WebSocketClientOptions options,
			Supplier<? extends P> factory, Consumer<WebSocketClientProtocol> disposer, @Nullable String name,
			@Nullable CloseListener closeListener) {
		this.connector = connector;
		this.uri = uri;
		this.options = options;
		this.factory = factory;
		this.disposer = disposer;
		this.name = name;
		this.closeListener = closeListener;
	}

	CompletableFuture<P> result() {
		return this.result;
	}

	/**
	 * Make the instance and run {@code onConnecting} on the calling thread, then start
	 * the transport.
	 */
	void start() {
		P protocol;
		try {
			protocol = this.factory.get();
		}
		catch (RuntimeException ex) {
			giveUp(new WebSocketConnectException(this.uri, Reason.ABORTED,
					"the protocol instance could not be created (" + ex.getMessage() + ")", ex));
			return;
		}
		this.protocol = protocol;
		this.clientName = (this.name != null) ? this.name : ClientProtocols.defaultName(protocol.getClass());
		ClientTransport transport = this.connector.getTransport();
		ConnectingRequest changes;
		try {
			changes = protocol
				.onConnecting(new TransportDetails(this.uri, this.uri.getHost(), ClientHandshake.port(this.uri),
						"wss".equalsIgnoreCase(this.uri.getScheme()), false, transport.getName()));
		}
		catch (RuntimeException ex) {
			giveUp(new WebSocketConnectException(this.uri, Reason.ABORTED, "onConnecting threw " + ex, ex));
			return;
		}
		ClientHandshake handshake = handshake(changes);
		this.handshake = handshake;
		scheduleTimeout(this.options.getOpenHandshakeTimeout());
		if (this.decided.get()) {
			return;
		}
		ClientTransport.Connecting connecting = transport.connect(handshake, this);
		this.connecting = connecting;
		if (this.decided.get() && !this.result.isDone()) {
			// Given up (timeout, stop) while the transport started.
			connecting.cancel();
		}
	}

	private ClientHandshake handshake(@Nullable ConnectingRequest changes) {
		HttpHeaders headers = HttpHeaders.copyOf(this.options.getHeaders());
		String origin = this.options.getOrigin();
		List<String> subprotocols = this.options.getSubprotocols();
		if (changes != null) {
			headers.putAll(changes.headers());
			origin = (changes.origin() != null) ? changes.origin() : origin;
			subprotocols = changes.protocols().isEmpty() ? subprotocols : changes.protocols();
		}
		if (origin != null) {
			headers.setOrigin(origin);
		}
		return new ClientHandshake(this.uri, headers, subprotocols, settings(this.options), this.options.getSslBundle(),
				this.options.getProxy());
	}

	private void scheduleTimeout(Duration timeout) {
		if (timeout.isZero() || timeout.isNegative()) {
			return;
		}
		try {
			this.timeout = this.connector.getTimer()
				.schedule(() -> giveUp(new WebSocketConnectException(this.uri, Reason.TIMEOUT,
						"no connection within the open handshake timeout of " + timeout.toMillis() + " ms", null)),
						timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			giveUp(stopping());
		}
	}

	/**
	 * Give the connect up from outside the transport: the timeout, or the connector's
	 * stop.
	 */
	void giveUp(WebSocketConnectException failure) {
		if (!this.decided.compareAndSet(false, true)) {
			return;
		}
		ClientTransport.Connecting connecting = this.connecting;
		if (connecting != null) {
			connecting.cancel();
		}
		fail(failure);
	}

	WebSocketConnectException stopping() {
		return new WebSocketConnectException(this.uri, Reason.ABORTED, "the application is shutting down", null);
	}

	// ClientTransport.Callbacks

	@Override
	public @Nullable StackConnection upgraded(ConnectionResponse response, InetSocketAddress server) {
		if (!this.decided.compareAndSet(false, true)) {
			return null;
		}
		cancelTimeout();
		P protocol = this.protocol;
		ClientHandshake handshake = this.handshake;
		String clientName = this.clientName;
		if (protocol == null || handshake == null || clientName == null) {
			throw new IllegalStateException("Upgraded before the connect started");
		}
		try {
			ClientEndpoint endpoint = new ClientEndpoint(clientName, handshake.settings(), this.connector.getRegistry(),
					this.connector.getTimer(), this.connector.budgets(clientName), this.connector.observer(clientName),
					this.disposer);
			return endpoint.connection(protocol, ClientUpgradeRequest.of(handshake, server), response, this);
		}
		catch (RuntimeException ex) {
			fail(new WebSocketConnectException(this.uri, Reason.ABORTED,
					"the connection could not be set up (" + ex.getMessage() + ")", ex));
			return null;
		}
	}

	@Override
	public void failed(WebSocketConnectException failure) {
		if (this.decided.compareAndSet(false, true)) {
			fail(failure);
		}
	}

	// ClientEndpoint.Listener

	@Override
	public void opened() {
		P protocol = this.protocol;
		if (protocol != null) {
			this.result.complete(protocol);
		}
		this.connector.finished(this);
	}

	@Override
	public void closed(boolean opened, boolean wasClean, @Nullable Integer code, @Nullable String reason,
			boolean closedByApplication) {
		if (!opened) {
			this.result.completeExceptionally(new WebSocketConnectException(this.uri, Reason.ABORTED,
					"the connection closed before onOpen returned (" + code + " " + reason + ")", null));
			this.connector.finished(this);
		}
		CloseListener closeListener = this.closeListener;
		if (closeListener != null) {
			closeListener.closed(opened, code, reason, closedByApplication);
		}
	}

	private void fail(WebSocketConnectException failure) {
		cancelTimeout();
		P protocol = this.protocol;
		if (protocol != null) {
			try {
				this.disposer.accept(protocol);
			}
			catch (RuntimeException ex) {
				logger.warn("Destroying the protocol instance of WebSocket client '" + this.clientName + "' failed",
						ex);
			}
		}
		if (logger.isDebugEnabled()) {
			logger.debug(failure.getMessage(), failure.getCause());
		}
		this.result.completeExceptionally(failure);
		this.connector.finished(this);
	}

	private void cancelTimeout() {
		ScheduledFuture<?> timeout = this.timeout;
		if (timeout != null) {
			timeout.cancel(false);
		}
	}

	/**
	 * The engine's settings of a client connection: the options, with what only a server
	 * has left unset.
	 */
	static EndpointSettings settings(WebSocketClientOptions options) {
		EndpointSettings.Builder builder = EndpointSettings.builder()
			.maxMessagePayloadSize(options.getMaxMessagePayloadSize())
			.maxFramePayloadSize(options.getMaxFramePayloadSize())
			// Not a client option yet: the server's default bounds what a streaming
			// client takes.
			.maxStreamedMessageSize(EndpointSettings.DEFAULT_MAX_STREAMED_MESSAGE_SIZE)
			.autoFragmentSize(options.getAutoFragmentSize())
			.openHandshakeTimeout(options.getOpenHandshakeTimeout())
			.closeHandshakeTimeout(options.getCloseHandshakeTimeout())
			.autoPingSize(options.getAutoPingSize())
			.autoPingRestartOnAnyTraffic(true)
			.perMessageCompression(options.isPerMessageDeflate())
			.subprotocols(options.getSubprotocols())
			.sendBufferSizeLimit(options.getSendBufferSizeLimit())
			.sendTimeLimit(options.getSendTimeLimit())
			.blockingHooks(options.isBlockingHooks());
		Duration autoPingInterval = options.getAutoPingInterval();
		if (autoPingInterval != null) {
			builder.autoPingInterval(autoPingInterval);
		}
		Duration autoPingTimeout = options.getAutoPingTimeout();
		if (autoPingTimeout != null) {
			builder.autoPingTimeout(autoPingTimeout);
		}
		return builder.build();
	}

	/**
	 * Told when a connection that a connect made is gone, for reconnecting.
	 */
	interface CloseListener {

		/**
		 * The connection is gone, and its {@code onClose} has run.
		 * @param opened whether its {@code onOpen} returned
		 * @param code the close code as {@code onClose} saw it
		 * @param reason the close reason as {@code onClose} saw it
		 * @param closedByApplication whether the application closed or dropped it
		 */
		void closed(boolean opened, @Nullable Integer code, @Nullable String reason, boolean closedByApplication);

	}

}
