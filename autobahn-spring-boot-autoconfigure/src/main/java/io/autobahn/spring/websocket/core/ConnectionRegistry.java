package io.autobahn.spring.websocket.core;

import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

import io.autobahn.spring.websocket.BroadcastResult;
import io.autobahn.spring.websocket.ConnectionSelector;
import io.autobahn.spring.websocket.PreparedMessage;
import io.autobahn.spring.websocket.WebSocketConnection;
import io.autobahn.spring.websocket.WebSocketConnections;

/**
 * The open connections of every endpoint, and those the application's clients opened,
 * injectable as {@link WebSocketConnections}: a connection is added just before its
 * {@code onOpen} and removed when its {@code onClose} has run. A client's connections are
 * listed under the client's name ({@link WebSocketConnection#isServer()} tells them
 * apart). On application shutdown it closes each one with 1001 (going away) and waits, at
 * most for the longest close handshake timeout, until their {@code onClose} has run,
 * before the web server and the context go away. It prepares and broadcasts messages (see
 * {@link WebSocketConnections}); a prepared message's bytes count against the
 * application's outbound budget, which its endpoints' budgets share. A broadcast that may
 * travel (filtered by a {@link ConnectionSelector}, or not at all) goes to the
 * {@link BroadcastRelay} after its local delivery. Thread-safe; one per application
 * context.
 * <p>
 * Over this project's usual length because broadcast is implemented here and only here
 * (preparing, selecting, counting per endpoint, and handing a travelling broadcast to the
 * relay), beside the registry it iterates, so that a cluster relay and the meters hook
 * into one place.
 */
public class ConnectionRegistry implements WebSocketConnections, SmartLifecycle {

	/**
	 * Stop before the web server's graceful shutdown and the server itself (whose phases
	 * are lower).
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE;

	private static final Log logger = LogFactory.getLog(ConnectionRegistry.class);

	private final Map<String, ConnectionChannel> connections = new ConcurrentHashMap<>();

	private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

	private volatile boolean running;

	/** The application's outbound budget, known once an endpoint is registered. */
	private volatile @Nullable Budget sharedBudget;

	private volatile BroadcastRelay broadcastRelay = BroadcastRelay.NONE;

	@Override
	public int size() {
		return this.connections.size();
	}

	@Override
	public @Nullable WebSocketConnection get(String id) {
		return this.connections.get(id);
	}

	@Override
	public Iterator<WebSocketConnection> iterator() {
		return Collections.<WebSocketConnection>unmodifiableCollection(this.connections.values()).iterator();
	}

	@Override
	public WebSocketConnections forEndpoint(String endpointName) {
		Endpoint endpoint = this.endpoints.get(endpointName);
		if (endpoint == null) {
			throw new IllegalArgumentException(
					"No WebSocket endpoint '" + endpointName + "'; the endpoints are " + this.endpoints.keySet());
		}
		return endpoint;
	}

	@Override
	public PreparedMessage prepareMessage(byte[] payload, boolean isBinary) {
		return SharedMessage.of(payload, isBinary, sharedBudget());
	}

	@Override
	public BroadcastResult broadcast(PreparedMessage message, Predicate<? super WebSocketConnection> filter) {
		BroadcastResult result = broadcast(this.connections.values(), message, filter);
		relay(null, message, filter);
		return result;
	}

	/**
	 * Hand a broadcast that may travel (its filter a {@link ConnectionSelector}) to the
	 * relay, after its local delivery.
	 */
	private void relay(@Nullable String endpoint, PreparedMessage message,
			Predicate<? super WebSocketConnection> filter) {
		if (filter instanceof ConnectionSelector selector) {
			this.broadcastRelay.relay(endpoint, selector, message.isBinary(), message.getPayload());
		}
	}

	/**
	 * Send a message that another instance broadcast to this instance's connections that
	 * the filter selects, without relaying it again.
	 * @param endpoint the endpoint whose connections get it, or {@code null} for those of
	 * every endpoint; an endpoint this instance does not have has no connections
	 * @param filter which connections get it
	 * @param message the message
	 * @return how many were selected, took the message, or did not
	 */
	public BroadcastResult broadcastLocally(@Nullable String endpoint, Predicate<? super WebSocketConnection> filter,
			PreparedMessage message) {
		if (endpoint == null) {
			return broadcast(this.connections.values(), message, filter);
		}
		Endpoint target = this.endpoints.get(endpoint);
		return (target != null) ? broadcast(target.connections.values(), message, filter)
				: new BroadcastResult(0, 0, 0);
	}

	/**
	 * Set where broadcasts that may travel go after their local delivery.
	 * @param broadcastRelay the relay, or {@link BroadcastRelay#NONE}
	 */
	public void setBroadcastRelay(BroadcastRelay broadcastRelay) {
		this.broadcastRelay = broadcastRelay;
	}

	/**
	 * Return where broadcasts that may travel go after their local delivery.
	 * @return the relay
	 */
	public BroadcastRelay getBroadcastRelay() {
		return this.broadcastRelay;
	}

	private Budget sharedBudget() {
		Budget budget = this.sharedBudget;
		// Prepared before any endpoint: connections count its bytes as their own.
		return (budget != null) ? budget
				: new Budget("the outbound budget of prepared messages", Budget.UNLIMITED, null);
	}

	/**
	 * The one place a broadcast happens, for the application's connections and for an
	 * endpoint's: each selected connection takes the message into its own send path
	 * (never waiting for it), and its endpoint's {@link EndpointObserver} hears how many
	 * took it.
	 */
	private BroadcastResult broadcast(Iterable<ConnectionChannel> connections, PreparedMessage message,
			Predicate<? super WebSocketConnection> filter) {
		SharedMessage shared = SharedMessage.from(message);
		int matched = 0;
		int sent = 0;
		// Counted per observer, told when the next connection has another (an endpoint's
		// share one).
		EndpointObserver observer = null;
		int delivered = 0;
		int failed = 0;
		for (ConnectionChannel connection : connections) {
			if (filter.test(connection)) {
				matched++;
				EndpointObserver current = connection.observer();
				if (observer != null && current != observer) {
					observer.broadcast(delivered, failed);
					delivered = 0;
					failed = 0;
				}
				observer = current;
				if (connection.offer(shared)) {
					sent++;
					delivered++;
				}
				else {
					failed++;
				}
			}
		}
		if (observer != null) {
			observer.broadcast(delivered, failed);
		}
		return new BroadcastResult(matched, sent, matched - sent);
	}

	/**
	 * Return the connections of an endpoint, registering the endpoint.
	 */
	WebSocketConnections endpoint(String endpointName) {
		return this.endpoints.computeIfAbsent(endpointName, Endpoint::new);
	}

	/**
	 * Return the connections of an endpoint, registering the endpoint and the budget its
	 * connections' outbound budgets count against (the application's), which prepared
	 * messages count against too.
	 */
	WebSocketConnections endpoint(String endpointName, Budget outbound) {
		if (this.sharedBudget == null) {
			this.sharedBudget = outbound.getRoot();
		}
		return endpoint(endpointName);
	}

	void add(ConnectionChannel connection) {
		this.connections.put(connection.getId(), connection);
		((Endpoint) endpoint(connection.getEndpoint())).connections.put(connection.getId(), connection);
	}

	void remove(ConnectionChannel connection) {
		if (this.connections.remove(connection.getId()) != null) {
			Endpoint endpoint = this.endpoints.get(connection.getEndpoint());
			if (endpoint != null) {
				endpoint.connections.remove(connection.getId());
			}
		}
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.connections.isEmpty()) {
			return;
		}
		logger.info("Closing " + this.connections.size() + " WebSocket connection(s) with 1001 (going away)");
		Duration wait = Duration.ZERO;
		for (ConnectionChannel channel : this.connections.values()) {
			ProtocolConnection connection = channel.connection();
			Duration timeout = connection.side().settings().closeHandshakeTimeout();
			wait = (timeout.compareTo(wait) > 0) ? timeout : wait;
			connection.goingAway();
		}
		long deadline = System.nanoTime() + wait.toNanos();
		while (!this.connections.isEmpty() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		for (ConnectionChannel channel : this.connections.values()) {
			channel.connection()
				.abort((channel.isServer() ? "server" : "client") + " shut down before the close handshake completed");
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * The open connections of one endpoint.
	 */
	private final class Endpoint implements WebSocketConnections {

		private final String name;

		private final Map<String, ConnectionChannel> connections = new ConcurrentHashMap<>();

		Endpoint(String name) {
			this.name = name;
		}

		@Override
		public int size() {
			return this.connections.size();
		}

		@Override
		public @Nullable WebSocketConnection get(String id) {
			return this.connections.get(id);
		}

		@Override
		public Iterator<WebSocketConnection> iterator() {
			return Collections.<WebSocketConnection>unmodifiableCollection(this.connections.values()).iterator();
		}

		@Override
		public WebSocketConnections forEndpoint(String endpointName) {
			return ConnectionRegistry.this.forEndpoint(endpointName);
		}

		@Override
		public PreparedMessage prepareMessage(byte[] payload, boolean isBinary) {
			return ConnectionRegistry.this.prepareMessage(payload, isBinary);
		}

		@Override
		public BroadcastResult broadcast(PreparedMessage message, Predicate<? super WebSocketConnection> filter) {
			BroadcastResult result = ConnectionRegistry.this.broadcast(this.connections.values(), message, filter);
			relay(this.name, message, filter);
			return result;
		}

		@Override
		public String toString() {
			return "WebSocketConnections[endpoint=" + this.name + ", size=" + size() + "]";
		}

	}

}
