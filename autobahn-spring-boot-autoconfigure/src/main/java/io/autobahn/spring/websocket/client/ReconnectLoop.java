package io.autobahn.spring.websocket.client;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.Disconnected;
import io.autobahn.spring.websocket.ReconnectPolicy;
import io.autobahn.spring.websocket.ReconnectingConnection;
import io.autobahn.spring.websocket.WebSocketClientOptions;
import io.autobahn.spring.websocket.WebSocketClientProtocol;
import io.autobahn.spring.websocket.WebSocketConnectException;
import io.autobahn.spring.websocket.WebSocketConnectException.Reason;
import io.autobahn.spring.websocket.WebSocketProtocol;
import io.autobahn.spring.websocket.WebSocketReconnectingEvent;

/**
 * A {@link ReconnectingConnection}: one connect at a time, each with a new protocol
 * instance, and after a failed connect or a lost connection the next one after the
 * policy's wait, on the timer. Its state changes under its own lock, which is never held
 * while a connect starts (a connect runs {@code onConnecting}) or a hook runs.
 */
final class ReconnectLoop<P extends WebSocketClientProtocol> implements ReconnectingConnection<P> {

	private static final Log logger = LogFactory.getLog(ReconnectLoop.class);

	private final DefaultWebSocketConnector connector;

	private final URI uri;

	private final WebSocketClientOptions options;

	private final ReconnectPolicy policy;

	private final Supplier<? extends P> factory;

	private final Consumer<WebSocketClientProtocol> disposer;

	private final @Nullable String name;

	private final CompletableFuture<Void> stoppedFuture = new CompletableFuture<>();

	private final Object lock = new Object();

	// Guarded by the lock.

	private CompletableFuture<P> nextOpen = new CompletableFuture<>();

	private @Nullable P current;

	/** The reconnect attempts since the last connection that stayed open long enough. */
	private int attempts;

	private long openedAtNanos;

	private int connections;

	private boolean stopped;

	private @Nullable ScheduledFuture<?> pending;

	private @Nullable Throwable lastFailure;

	ReconnectLoop(DefaultWebSocketConnector connector, URI uri, WebSocketClientOptions options, ReconnectPolicy policy,
			Supplier<? extends P> factory, Consumer<WebSocketClientProtocol> disposer, @Nullable String name) {
		this.connector = connector;
		this.uri = uri;
		this.options = options;
		this.policy = policy;
		this.factory = factory;
		this.disposer = disposer;
		this.name = name;
	}

	/**
	 * Start a connect, unless stopped.
	 */
	void start() {
		synchronized (this.lock) {
			this.pending = null;
			if (this.stopped) {
				return;
			}
		}
		ClientConnect<P> connect = this.connector.start(this.uri, this.options, this.factory, this.disposer, this.name,
				this::closed);
		connect.result().whenComplete((protocol, failure) -> {
			if (failure != null) {
				failed(failure);
			}
			else {
				opened(protocol);
			}
		});
	}

	private void opened(P protocol) {
		CompletableFuture<P> open;
		synchronized (this.lock) {
			if (this.stopped) {
				open = null;
			}
			else {
				this.current = protocol;
				this.openedAtNanos = System.nanoTime();
				this.connections++;
				open = this.nextOpen;
			}
		}
		if (open == null) {
			// Stopped while this connect was under way.
			protocol.sendClose(WebSocketProtocol.CLOSE_STATUS_CODE_NORMAL, null);
			return;
		}
		open.complete(protocol);
	}

	private void failed(Throwable failure) {
		schedule(failure);
	}

	private void closed(boolean opened, @Nullable Integer code, @Nullable String reason, boolean closedByApplication) {
		if (!opened) {
			// The connect failed, and says so through its future.
			return;
		}
		synchronized (this.lock) {
			this.current = null;
			this.nextOpen = new CompletableFuture<>();
			if (System.nanoTime() - this.openedAtNanos >= this.policy.getResetAfter().toNanos()) {
				this.attempts = 0;
			}
		}
		if (closedByApplication) {
			end(null, "the application closed the connection");
		}
		else if (this.policy.isFinal(code)) {
			end(null, "the server closed the connection with " + code + ", which the reconnect policy treats as final");
		}
		else {
			schedule(new Disconnected("The connection to " + this.uri + " closed (" + code
					+ ((reason != null) ? " " + reason : "") + ")"));
		}
	}

	/**
	 * Wait as the policy says, then connect again; or give up.
	 */
	private void schedule(Throwable reason) {
		int attempt;
		Duration delay;
		synchronized (this.lock) {
			if (this.stopped) {
				return;
			}
			this.lastFailure = reason;
			if (!this.policy.mayRetry(this.attempts)) {
				attempt = -1;
				delay = Duration.ZERO;
			}
			else {
				this.attempts++;
				attempt = this.attempts;
				delay = this.policy.delay(attempt, ThreadLocalRandom.current().nextDouble());
			}
		}
		if (attempt < 0) {
			end(reason, "the reconnect policy gave up after " + this.policy.getMaxAttempts() + " attempts");
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Reconnecting to " + this.uri + " in " + delay.toMillis() + " ms (attempt " + attempt + "): "
					+ reason.getMessage());
		}
		this.connector.publish(new WebSocketReconnectingEvent(this, clientName(), attempt, delay, reason));
		try {
			ScheduledFuture<?> next = this.connector.getTimer()
				.schedule(this::start, delay.toNanos(), TimeUnit.NANOSECONDS);
			synchronized (this.lock) {
				this.pending = next;
			}
		}
		catch (RejectedExecutionException ex) {
			end(null, "the application is shutting down");
		}
	}

	private String clientName() {
		return (this.name != null) ? this.name : "client";
	}

	/**
	 * Stop for good.
	 * @param failure the failure to end with, or {@code null} to end normally
	 * @param why for the debug log
	 */
	private void end(@Nullable Throwable failure, String why) {
		CompletableFuture<P> open;
		ScheduledFuture<?> pending;
		Throwable last;
		synchronized (this.lock) {
			if (this.stopped) {
				return;
			}
			this.stopped = true;
			open = this.nextOpen;
			pending = this.pending;
			last = (failure != null) ? failure : this.lastFailure;
		}
		if (pending != null) {
			pending.cancel(false);
		}
		this.connector.stopped(this);
		if (logger.isDebugEnabled()) {
			logger.debug("Stopped reconnecting to " + this.uri + ": " + why);
		}
		open.completeExceptionally((last instanceof WebSocketConnectException) ? last
				: new WebSocketConnectException(this.uri, Reason.ABORTED, "reconnecting stopped: " + why, last));
		if (failure != null) {
			this.stoppedFuture.completeExceptionally(failure);
		}
		else {
			this.stoppedFuture.complete(null);
		}
	}

	/**
	 * The application is shutting down: stop, and leave the open connection to the
	 * registry, which closes it with 1001.
	 */
	void shutdown() {
		end(null, "the application is shutting down");
	}

	// ReconnectingConnection

	@Override
	public URI getUri() {
		return this.uri;
	}

	@Override
	public @Nullable P getProtocol() {
		synchronized (this.lock) {
			return this.current;
		}
	}

	@Override
	public CompletableFuture<P> whenOpen() {
		synchronized (this.lock) {
			return (this.current != null) ? CompletableFuture.completedFuture(this.current) : this.nextOpen.copy();
		}
	}

	@Override
	public int getConnectionCount() {
		synchronized (this.lock) {
			return this.connections;
		}
	}

	@Override
	public boolean isStopped() {
		synchronized (this.lock) {
			return this.stopped;
		}
	}

	@Override
	public CompletableFuture<Void> whenStopped() {
		return this.stoppedFuture.copy();
	}

	@Override
	public void stop() {
		P current;
		synchronized (this.lock) {
			current = this.current;
		}
		end(null, "stopped by the application");
		if (current != null) {
			try {
				current.sendClose(WebSocketProtocol.CLOSE_STATUS_CODE_NORMAL, null);
			}
			catch (IllegalStateException ex) {
				// Closed meanwhile.
			}
		}
	}

	@Override
	public String toString() {
		return "ReconnectingConnection[uri=" + this.uri + ", client=" + clientName() + ", stopped=" + isStopped() + "]";
	}

}
