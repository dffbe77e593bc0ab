package io.autobahn.spring.websocket.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The application's limits on what all WebSocket connections hold together: the bytes of
 * partly received messages (inbound), the bytes queued for sending (outbound), and the
 * open connections, with each endpoint's {@link EndpointBudgets} counting against them.
 * Its figures (in use, peak, refusals) are what a metrics binder would expose.
 * Thread-safe; endpoints are added while the application starts, before any connection.
 */
public final class WebSocketBudgets {

	private final Budget inbound;

	private final Budget outbound;

	private final Budget connections;

	private final Map<String, EndpointBudgets> endpoints = Collections.synchronizedMap(new LinkedHashMap<>());

	/**
	 * Create the application's budgets.
	 * @param inboundLimit the most bytes all partly received messages may hold, or
	 * {@link Budget#UNLIMITED}
	 * @param outboundLimit the most bytes all send queues may hold, or
	 * {@link Budget#UNLIMITED}
	 * @param maxConnections the most connections open at once, or
	 * {@link Budget#UNLIMITED}
	 */
	public WebSocketBudgets(long inboundLimit, long outboundLimit, long maxConnections) {
		this.inbound = new Budget("the application's inbound budget", inboundLimit, null);
		this.outbound = new Budget("the application's outbound budget", outboundLimit, null);
		this.connections = new Budget("the application's max-connections", maxConnections, null);
	}

	/**
	 * Return budgets that only count.
	 * @return budgets without limits
	 */
	public static WebSocketBudgets unlimited() {
		return new WebSocketBudgets(Budget.UNLIMITED, Budget.UNLIMITED, Budget.UNLIMITED);
	}

	/**
	 * Return the default of the application's inbound and outbound budgets: a quarter of
	 * the heap the JVM may use ({@code -Xmx}), each.
	 * @return the default budget in bytes
	 */
	public static long defaultByteBudget() {
		return Math.max(1, Runtime.getRuntime().maxMemory() / 4);
	}

	/**
	 * Create the budgets of an endpoint under the application's.
	 * @param endpointName the endpoint's name
	 * @param inboundLimit its own inbound limit in bytes, or {@link Budget#UNLIMITED}
	 * @param outboundLimit its own outbound limit in bytes, or {@link Budget#UNLIMITED}
	 * @param maxConnections its own connection limit, or {@link Budget#UNLIMITED}
	 * @return the endpoint's budgets
	 */
	public EndpointBudgets endpoint(String endpointName, long inboundLimit, long outboundLimit, long maxConnections) {
		String of = " of endpoint '" + endpointName + "'";
		EndpointBudgets budgets = new EndpointBudgets(endpointName,
				new Budget("the inbound budget" + of, inboundLimit, this.inbound),
				new Budget("the outbound budget" + of, outboundLimit, this.outbound),
				new Budget("the max-connections" + of, maxConnections, this.connections));
		this.endpoints.put(endpointName, budgets);
		return budgets;
	}

	/**
	 * Return the application's budget of bytes held by partly received messages.
	 * @return the inbound budget
	 */
	public Budget getInbound() {
		return this.inbound;
	}

	/**
	 * Return the application's budget of bytes queued for sending.
	 * @return the outbound budget
	 */
	public Budget getOutbound() {
		return this.outbound;
	}

	/**
	 * Return the application's budget of open connections.
	 * @return the connection budget
	 */
	public Budget getConnections() {
		return this.connections;
	}

	/**
	 * Return the budgets of each endpoint, by endpoint name.
	 * @return an unmodifiable copy
	 */
	public Map<String, EndpointBudgets> getEndpoints() {
		synchronized (this.endpoints) {
			return Map.copyOf(this.endpoints);
		}
	}

}
