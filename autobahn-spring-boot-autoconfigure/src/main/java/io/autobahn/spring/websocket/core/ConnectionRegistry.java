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

import io.autobahn.spring.websocket.Disconnected;
import io.autobahn.spring.websocket.WebSocketConnection;
import io.autobahn.spring.websocket.WebSocketConnections;

/**
 * The open connections of every endpoint, and those the application's clients opened,
 * injectable as {@link WebSocketConnections}: a connection is added just before its
 * {@code onOpen} and removed when its {@code onClose} has run. A client's connections are
 * listed under the client's name ({@link WebSocketConnection#isServer()} tells them apart). On application shutdown it closes each one with 1001 (going away) and waits, at
 * most for the longest close handshake timeout, until their {@code onClose} has run, before
 * the web server and the context go away. Thread-safe; one per application context.
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

	/**
	 * Send a message that another instance broadcast to this instance's connections that
	 * the filter selects, without relaying it again.
	 * @param endpoint the endpoint whose connections get it, or {@code null} for those of
	 * every endpoint; an endpoint this instance does not have has no connections
	 * @param filter which connections get it
	 * @param payload the payload; for a text message its UTF-8 bytes
	 * @param isBinary {@code true} for a binary message, {@code false} for text
	 * @return how many connections took it
	 */
	public int broadcastLocally(@Nullable String endpoint, Predicate<? super WebSocketConnection> filter,
			byte[] payload, boolean isBinary) {
		Map<String, ConnectionChannel> connections = this.connections;
		if (endpoint != null) {
			Endpoint target = this.endpoints.get(endpoint);
			if (target == null) {
				return 0;
			}
			connections = target.connections;
		}
		int sent = 0;
		for (ConnectionChannel connection : connections.values()) {
			if (filter.test(connection)) {
				try {
					connection.sendMessage(payload, isBinary);
					sent++;
				}
				catch (Disconnected ex) {
					// Closed meanwhile, or dropped by its own send bounds.
				}
			}
		}
		return sent;
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

	/**
	 * Return the connections of an endpoint, registering the endpoint.
	 */
	WebSocketConnections endpoint(String endpointName) {
		return this.endpoints.computeIfAbsent(endpointName, Endpoint::new);
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
		public String toString() {
			return "WebSocketConnections[endpoint=" + this.name + ", size=" + size() + "]";
		}

	}

}
