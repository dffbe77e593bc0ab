package io.autobahn.spring.websocket.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionDeny;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.WebSocketConnections;
import io.autobahn.spring.websocket.WebSocketProtocol;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.internal.ChannelAttachment;

/**
 * One endpoint at run time: turns handshakes into connections. Stack adapters call
 * {@link #connect(ConnectionRequest)} during the HTTP upgrade (after the handshake
 * checks), answer the {@code 101} with the {@link AcceptedConnection} it gives, and open
 * its connection on their transport once the {@code 101} has been sent. Thread-safe; one
 * per endpoint, for the application's life.
 * <p>
 * Over this project's usual length because every way a handshake can end (refused before
 * {@code onConnect}, by it, by its deferred accept, by the timeout, cancelled, abandoned
 * after the accept) must give back the connection slot and dispose of the protocol
 * instance exactly once, and those paths are kept in one place to be read together.
 */
public final class ServerEndpoint {

	/**
	 * How long a connection whose upgrade the container took may take to open before it
	 * is given up (unless {@code open-handshake-timeout} is longer): long enough for a
	 * container whose threads a burst of handshakes keeps busy, short enough to bound
	 * what a client that went away before the {@code 101} leaves behind on a container
	 * that does not report it.
	 */
	public static final Duration OPEN_AFTER_UPGRADE_TIMEOUT = Duration.ofSeconds(30);

	private static final Log logger = LogFactory.getLog(ServerEndpoint.class);

	private final EndpointDefinition definition;

	private final ProtocolFactory protocolFactory;

	private final ScheduledExecutorService timer;

	private final EndpointBudgets budgets;

	private final WebSocketConnections connections;

	private final ConnectionSide side;

	private final EndpointObserver observer;

	/**
	 * Create a new instance whose budgets only count.
	 * @param definition the endpoint
	 * @param protocolFactory creates protocol instances
	 * @param registry tracks open connections
	 * @param timer runs auto-pings and close timeouts
	 */
	public ServerEndpoint(EndpointDefinition definition, ProtocolFactory protocolFactory, ConnectionRegistry registry,
			ScheduledExecutorService timer) {
		this(definition, protocolFactory, registry, timer, EndpointBudgets.unlimited(definition.name()));
	}

	/**
	 * Create a new instance.
	 * @param definition the endpoint
	 * @param protocolFactory creates protocol instances
	 * @param registry tracks open connections
	 * @param timer runs auto-pings and close timeouts
	 * @param budgets the endpoint's budgets of buffered bytes and open connections
	 */
	public ServerEndpoint(EndpointDefinition definition, ProtocolFactory protocolFactory, ConnectionRegistry registry,
			ScheduledExecutorService timer, EndpointBudgets budgets) {
		this(definition, protocolFactory, registry, timer, budgets, EndpointObserver.NONE);
	}

	/**
	 * Create a new instance.
	 * @param definition the endpoint
	 * @param protocolFactory creates protocol instances
	 * @param registry tracks open connections
	 * @param timer runs auto-pings and close timeouts
	 * @param budgets the endpoint's budgets of buffered bytes and open connections
	 * @param observer what its handshakes and connections are reported to, for metrics
	 */
	public ServerEndpoint(EndpointDefinition definition, ProtocolFactory protocolFactory, ConnectionRegistry registry,
			ScheduledExecutorService timer, EndpointBudgets budgets, EndpointObserver observer) {
		this.definition = definition;
		this.protocolFactory = protocolFactory;
		this.timer = timer;
		this.budgets = budgets;
		this.observer = observer;
		this.connections = registry.endpoint(definition.name(), budgets.getOutbound());
		this.side = new ConnectionSide(definition.name(), true, definition.settings(), budgets, timer, registry,
				this.connections, observer, this::dispose);
	}

	/**
	 * Return the endpoint's definition.
	 * @return the definition
	 */
	public EndpointDefinition getDefinition() {
		return this.definition;
	}

	/**
	 * Run {@code onConnect} for a handshake on a new protocol instance, on the calling
	 * thread. When it returns a {@link ConnectionAccept#deferred(CompletionStage)
	 * deferred} accept, the result completes when that stage does, or at the endpoint's
	 * {@code open-handshake-timeout} (refused with 503), on whichever thread that
	 * happens. Cancelling the result (the client went away while waiting) disposes of the
	 * protocol instance.
	 * @param request the client's handshake, which the handshake checks have accepted
	 * @return the accepted connection, with the subprotocol and headers to answer with;
	 * or completed exceptionally with a {@link ConnectionDeny} to refuse the handshake
	 * with that HTTP status, also for the endpoint's or the application's
	 * {@code max-connections} reached (503, before {@code onConnect}), an unexpected
	 * exception in {@code onConnect} (500) or a subprotocol the client did not offer
	 * (500)
	 */
	public CompletableFuture<AcceptedConnection> connect(ConnectionRequest request) {
		return connect(request, true);
	}

	/**
	 * Run {@code onConnect}; with {@code watchFromAccept}, the accepted connection's
	 * {@code open-handshake-timeout} runs from the accept, otherwise from
	 * {@link StackConnection#upgradeTaken()}.
	 */
	private CompletableFuture<AcceptedConnection> connect(ConnectionRequest request, boolean watchFromAccept) {
		Budget refusedBy = this.budgets.getConnections().tryReserve(1);
		if (refusedBy != null) {
			this.budgets.connectionRefused(refusedBy, request.peer());
			this.observer.handshakeRefused(ConnectionDeny.SERVICE_UNAVAILABLE,
					EndpointObserver.Refusal.MAX_CONNECTIONS);
			// Autobahn's reason for its maxConnections.
			return CompletableFuture.failedFuture(
					new ConnectionDeny(ConnectionDeny.SERVICE_UNAVAILABLE, "maximum number of connections reached"));
		}
		ProtocolConnection connection = newConnection(request);
		// From here the connection gives the slot back, on whichever path its
		// handshake or its life ends: every one of them disposes of its protocol
		// instance.
		connection.holdConnectionSlot();
		ConnectionAccept accept;
		try {
			ChannelAttachment.attach(connection.getProtocol(), connection.channel());
			accept = ((WebSocketServerProtocol) connection.getProtocol()).onConnect(request);
		}
		catch (Throwable ex) {
			return CompletableFuture.failedFuture(refused(connection, ex));
		}
		CompletionStage<? extends @Nullable ConnectionAccept> deferred = (accept != null) ? accept.getDeferred() : null;
		if (deferred != null) {
			return awaitDeferred(connection, deferred, watchFromAccept);
		}
		try {
			return CompletableFuture.completedFuture(accepted(connection, accept, watchFromAccept));
		}
		catch (ConnectionDeny deny) {
			return CompletableFuture.failedFuture(deny);
		}
	}

	/**
	 * Create the protocol instance and its connection; whatever fails gives the slot back
	 * and disposes of an instance already created.
	 */
	private ProtocolConnection newConnection(ConnectionRequest request) {
		WebSocketServerProtocol protocol;
		try {
			protocol = this.protocolFactory.create(this.definition);
		}
		catch (RuntimeException | Error ex) {
			this.budgets.getConnections().release(1);
			throw ex;
		}
		try {
			return new ProtocolConnection(this.side, protocol, request, request.peer(), ConnectionListener.NONE);
		}
		catch (RuntimeException | Error ex) {
			this.budgets.getConnections().release(1);
			dispose(protocol);
			throw ex;
		}
	}

	/**
	 * Run {@code onConnect} as {@link #connect(ConnectionRequest)} does and wait for a
	 * deferred accept, for stacks whose upgrade runs on a thread that may wait (a servlet
	 * container's worker): at most {@code open-handshake-timeout}. The thread goes on to
	 * the upgrade and tells the connection {@link StackConnection#upgradeTaken()} or
	 * {@link StackConnection#abandon()}; the watch on its open starts then, not at the
	 * accept: under a burst of handshakes Tomcat's worker threads (200, one CPU) took
	 * more than {@code open-handshake-timeout} from the accept to the upgrade for a few
	 * of 10,000 connections, whose clients then got the {@code 101} and at once lost the
	 * connection.
	 * @param request the client's handshake
	 * @return the accepted connection
	 * @throws ConnectionDeny to refuse the handshake
	 */
	public AcceptedConnection connectAndWait(ConnectionRequest request) {
		CompletableFuture<AcceptedConnection> accepted = connect(request, false);
		try {
			return accepted.get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof ConnectionDeny deny) {
				throw deny;
			}
			throw new IllegalStateException("Unexpected handshake failure", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			accepted.cancel(false);
			throw new ConnectionDeny(ConnectionDeny.SERVICE_UNAVAILABLE, "Interrupted");
		}
	}

	private CompletableFuture<AcceptedConnection> awaitDeferred(ProtocolConnection connection,
			CompletionStage<? extends @Nullable ConnectionAccept> deferred, boolean watchFromAccept) {
		CompletableFuture<AcceptedConnection> result = new CompletableFuture<>();
		// Whichever comes first decides: the stage, the timeout, or the caller's cancel.
		AtomicBoolean decided = new AtomicBoolean();
		Duration timeout = this.definition.settings().openHandshakeTimeout();
		ScheduledFuture<?> expiry = (timeout.isNegative() || timeout.isZero()) ? null
				: scheduleOpenHandshakeTimeout(connection, result, decided, timeout);
		result.whenComplete((value, failure) -> {
			if (result.isCancelled() && decided.compareAndSet(false, true)) {
				cancel(expiry);
				connection.disposeProtocol();
			}
		});
		deferred.whenComplete((accept, failure) -> {
			if (!decided.compareAndSet(false, true)) {
				return;
			}
			cancel(expiry);
			try {
				if (failure != null) {
					throw refused(connection, unwrap(failure));
				}
				if (accept != null && accept.getDeferred() != null) {
					throw refused(connection, new IllegalStateException(
							"The stage of a deferred accept completed with a deferred accept"));
				}
				result.complete(accepted(connection, accept, watchFromAccept));
			}
			catch (ConnectionDeny deny) {
				result.completeExceptionally(deny);
			}
		});
		return result;
	}

	private @Nullable ScheduledFuture<?> scheduleOpenHandshakeTimeout(ProtocolConnection connection,
			CompletableFuture<AcceptedConnection> result, AtomicBoolean decided, Duration timeout) {
		Runnable expire = () -> {
			if (decided.compareAndSet(false, true)) {
				logger.warn("onConnect of WebSocket endpoint '" + this.definition.name()
						+ "' did not complete its deferred accept within open-handshake-timeout (" + timeout.toMillis()
						+ " ms) for peer " + connection.getRequest().peer() + "; refusing the handshake with 503");
				connection.disposeProtocol();
				this.observer.handshakeRefused(ConnectionDeny.SERVICE_UNAVAILABLE, EndpointObserver.Refusal.TIMEOUT);
				result.completeExceptionally(
						new ConnectionDeny(ConnectionDeny.SERVICE_UNAVAILABLE, "Connection not accepted in time"));
			}
		};
		try {
			return this.timer.schedule(expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The application is stopping.
			expire.run();
			return null;
		}
	}

	/**
	 * Give an accepted connection {@code open-handshake-timeout} to open, from the accept
	 * or (servlet containers) from the upgrade: a stack that never completes the upgrade
	 * (the client went away before the {@code 101}, which Tomcat does not report) must
	 * not keep its protocol instance from being destroyed. Once the container took the
	 * upgrade, the watch is {@link #OPEN_AFTER_UPGRADE_TIMEOUT} where that is longer (see
	 * {@link StackConnection#upgradeTaken()}).
	 */
	private void watchOpen(ProtocolConnection connection, boolean watchFromAccept) {
		Duration timeout = this.definition.settings().openHandshakeTimeout();
		if (timeout.isNegative() || timeout.isZero()) {
			return;
		}
		Duration afterUpgrade = (timeout.compareTo(OPEN_AFTER_UPGRADE_TIMEOUT) > 0) ? timeout
				: OPEN_AFTER_UPGRADE_TIMEOUT;
		connection.watchOpen(watchFromAccept ? giveUpUnlessOpen(connection, timeout, "open-handshake-timeout") : null,
				() -> giveUpUnlessOpen(connection, afterUpgrade, afterUpgrade.toSeconds() + " s of its upgrade"));
	}

	private @Nullable ScheduledFuture<?> giveUpUnlessOpen(ProtocolConnection connection, Duration timeout,
			String limit) {
		try {
			return this.timer.schedule(() -> {
				if (logger.isDebugEnabled() && connection.describeState().equals("connecting")) {
					logger.debug("WebSocket connection of endpoint '" + this.definition.name() + "' to "
							+ connection.getRequest().peer() + " did not open within " + limit + "; giving it up");
				}
				connection.abandon();
			}, timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The application is stopping.
			return null;
		}
	}

	/**
	 * Validate what {@code onConnect} (or its stage) accepted with, pick the subprotocol,
	 * and give the connection {@code open-handshake-timeout} to open.
	 */
	private AcceptedConnection accepted(ProtocolConnection connection, @Nullable ConnectionAccept accept,
			boolean watchFromAccept) {
		ConnectionRequest request = connection.getRequest();
		String subprotocol = (accept != null) ? accept.getSubprotocol() : null;
		if (subprotocol != null && !request.protocols().contains(subprotocol)) {
			logger.error("onConnect of WebSocket endpoint '" + this.definition.name() + "' chose subprotocol '"
					+ subprotocol + "' which the client (" + request.peer() + ") did not offer; it offered "
					+ request.protocols());
			connection.disposeProtocol();
			this.observer.handshakeRefused(ConnectionDeny.INTERNAL_SERVER_ERROR, EndpointObserver.Refusal.ERROR);
			throw new ConnectionDeny(ConnectionDeny.INTERNAL_SERVER_ERROR, "Internal server error");
		}
		if (subprotocol == null) {
			subprotocol = request.protocols()
				.stream()
				.filter(this.definition.settings().subprotocols()::contains)
				.findFirst()
				.orElse(null);
		}
		watchOpen(connection, watchFromAccept);
		return new AcceptedConnection(connection, subprotocol,
				(accept != null) ? accept.getHeaders() : ConnectionAccept.accept().getHeaders());
	}

	/**
	 * Dispose of the protocol instance of a refused handshake and say how to answer it.
	 */
	private ConnectionDeny refused(ProtocolConnection connection, Throwable failure) {
		connection.disposeProtocol();
		if (failure instanceof ConnectionDeny deny) {
			if (logger.isDebugEnabled()) {
				logger
					.debug("onConnect of WebSocket endpoint '" + this.definition.name() + "' refused a handshake from "
							+ connection.getRequest().peer() + " with " + deny.getCode() + ": " + deny.getReason());
			}
			this.observer.handshakeRefused(deny.getCode(), EndpointObserver.Refusal.DENIED);
			return deny;
		}
		logger.error("onConnect of WebSocket endpoint '" + this.definition.name() + "' failed for peer "
				+ connection.getRequest().peer(), failure);
		this.observer.handshakeRefused(ConnectionDeny.INTERNAL_SERVER_ERROR, EndpointObserver.Refusal.ERROR);
		return new ConnectionDeny(ConnectionDeny.INTERNAL_SERVER_ERROR, "Internal server error");
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	private static void cancel(@Nullable ScheduledFuture<?> task) {
		if (task != null) {
			task.cancel(false);
		}
	}

	private void dispose(WebSocketProtocol protocol) {
		try {
			this.protocolFactory.destroy(this.definition, (WebSocketServerProtocol) protocol);
		}
		catch (RuntimeException ex) {
			logger.warn(
					"Destroying the protocol instance of WebSocket endpoint '" + this.definition.name() + "' failed",
					ex);
		}
	}

	/**
	 * Return the endpoint's budgets of buffered bytes and open connections.
	 * @return the budgets
	 */
	public EndpointBudgets getBudgets() {
		return this.budgets;
	}

	/**
	 * Return what the endpoint's handshakes and connections are reported to, for metrics;
	 * the stack adapters report the handshakes they refuse before {@code onConnect} to
	 * it.
	 * @return the observer
	 */
	public EndpointObserver getObserver() {
		return this.observer;
	}

	/**
	 * Return the endpoint's open connections.
	 * @return a live view
	 */
	public WebSocketConnections getConnections() {
		return this.connections;
	}

}
