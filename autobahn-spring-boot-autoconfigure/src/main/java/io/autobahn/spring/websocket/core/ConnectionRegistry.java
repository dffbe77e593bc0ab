package io.autobahn.spring.websocket.core;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The open connections of every endpoint. On application shutdown it closes each one with
 * 1001 (going away) and waits, at most for the longest close handshake timeout, until
 * their {@code onClose} has run, before the web server and the context go away.
 */
public class ConnectionRegistry implements SmartLifecycle {

	/**
	 * Stop before the web server's graceful shutdown and the server itself (whose phases
	 * are lower).
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE;

	private static final Log logger = LogFactory.getLog(ConnectionRegistry.class);

	private final Set<ProtocolConnection> connections = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	/**
	 * Return the open connections.
	 * @return an unmodifiable live view
	 */
	public Collection<ProtocolConnection> getConnections() {
		return Collections.unmodifiableSet(this.connections);
	}

	/**
	 * Return how many connections are open.
	 * @return the count
	 */
	public int size() {
		return this.connections.size();
	}

	void add(ProtocolConnection connection) {
		this.connections.add(connection);
	}

	void remove(ProtocolConnection connection) {
		this.connections.remove(connection);
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
		for (ProtocolConnection connection : this.connections) {
			Duration timeout = connection.getEndpoint().settings().closeHandshakeTimeout();
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
		for (ProtocolConnection connection : this.connections) {
			connection.abort("server shut down before the close handshake completed");
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

}
