package io.autobahn.spring.websocket.core;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The budgets of one endpoint: the bytes its connections hold in partly received messages
 * (inbound) and in send queues (outbound), and its open connections. Each counts against
 * the application's budget of the same kind (see {@link WebSocketBudgets}), and has a
 * limit of its own only where one is configured. Also writes the rate-limited WARN lines
 * for refusals: at most one per endpoint and kind every {@value #LOG_INTERVAL_SECONDS} s.
 * Thread-safe; lives as long as the application context.
 */
public final class EndpointBudgets {

	static final int LOG_INTERVAL_SECONDS = 10;

	private static final Log logger = LogFactory.getLog(EndpointBudgets.class);

	private final String endpointName;

	private final Budget inbound;

	private final Budget outbound;

	private final Budget connections;

	private final RateLimitedLog inboundLog = newLog();

	private final RateLimitedLog outboundLog = newLog();

	private final RateLimitedLog connectionLog = newLog();

	EndpointBudgets(String endpointName, Budget inbound, Budget outbound, Budget connections) {
		this.endpointName = endpointName;
		this.inbound = inbound;
		this.outbound = outbound;
		this.connections = connections;
	}

	/**
	 * Return budgets without limits and without an application above them, for an
	 * endpoint created outside the auto-configuration.
	 * @param endpointName the endpoint's name
	 * @return budgets that only count
	 */
	public static EndpointBudgets unlimited(String endpointName) {
		return WebSocketBudgets.unlimited()
			.endpoint(endpointName, Budget.UNLIMITED, Budget.UNLIMITED, Budget.UNLIMITED);
	}

	/**
	 * Return the budget of the bytes held by partly received messages.
	 * @return the inbound budget
	 */
	public Budget getInbound() {
		return this.inbound;
	}

	/**
	 * Return the budget of the bytes queued for sending.
	 * @return the outbound budget
	 */
	public Budget getOutbound() {
		return this.outbound;
	}

	/**
	 * Return the budget of open connections (one unit each, from the handshake on).
	 * @return the connection budget
	 */
	public Budget getConnections() {
		return this.connections;
	}

	void inboundRefused(Budget refusedBy, long amount, String peer) {
		this.inboundLog.warn(() -> "WebSocket endpoint '" + this.endpointName + "': closing the connection of " + peer
				+ " with 1013 (try again later): " + describe(refusedBy, amount, "of partly received messages"));
	}

	void outboundRefused(Budget refusedBy, long amount, String peer) {
		this.outboundLog.warn(() -> "WebSocket endpoint '" + this.endpointName + "': dropping the connection to " + peer
				+ ": " + describe(refusedBy, amount, "queued for sending"));
	}

	void connectionRefused(Budget refusedBy, String peer) {
		this.connectionLog
			.warn(() -> "WebSocket endpoint '" + this.endpointName + "': refusing a connection from " + peer
					+ " with 503: " + refusedBy.getName() + " of " + refusedBy.getLimit() + " connections is reached");
	}

	private static String describe(Budget refusedBy, long amount, String what) {
		return "another " + amount + " bytes " + what + " would pass " + refusedBy.getName() + " of "
				+ refusedBy.getLimit() + " bytes (" + refusedBy.getInUse() + " in use)";
	}

	private static RateLimitedLog newLog() {
		return new RateLimitedLog(logger, Duration.ofSeconds(LOG_INTERVAL_SECONDS));
	}

	@Override
	public String toString() {
		return "EndpointBudgets[endpoint=" + this.endpointName + ", inbound=" + this.inbound + ", outbound="
				+ this.outbound + ", connections=" + this.connections + "]";
	}

}
