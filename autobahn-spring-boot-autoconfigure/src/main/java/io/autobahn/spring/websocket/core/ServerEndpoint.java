package io.autobahn.spring.websocket.core;

import java.util.Base64;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionDeny;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * One endpoint at run time: turns handshakes into {@link ProtocolConnection connections}.
 * Stack adapters call {@link #connect(ConnectionRequest)} during the HTTP upgrade and hand
 * the result the transport once the {@code 101} has been sent.
 */
public final class ServerEndpoint {

	private static final Log logger = LogFactory.getLog(ServerEndpoint.class);

	private static final String SEC_WEBSOCKET_KEY = "Sec-WebSocket-Key";

	private static final int KEY_LENGTH = 16;

	private final EndpointDefinition definition;

	private final ProtocolFactory protocolFactory;

	private final ConnectionRegistry registry;

	private final ScheduledExecutorService timer;

	private final EndpointBudgets budgets;

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
		this.definition = definition;
		this.protocolFactory = protocolFactory;
		this.registry = registry;
		this.timer = timer;
		this.budgets = budgets;
	}

	/**
	 * Return the endpoint's definition.
	 * @return the definition
	 */
	public EndpointDefinition getDefinition() {
		return this.definition;
	}

	/**
	 * Run {@code onConnect} for a handshake on a new protocol instance.
	 * @param request the client's handshake
	 * @return the connection, with the subprotocol and headers to answer with
	 * @throws ConnectionDeny to refuse the handshake with that HTTP status, also for a
	 * {@code Sec-WebSocket-Key} that is not the base64 of 16 bytes (400, before
	 * {@code onConnect}), the endpoint's or the application's {@code max-connections}
	 * reached (503, before {@code onConnect}), an unexpected exception in
	 * {@code onConnect} (500) or a subprotocol the client did not offer (500)
	 */
	public ProtocolConnection connect(ConnectionRequest request) {
		if (!isValidKey(request.headers().getFirst(SEC_WEBSOCKET_KEY))) {
			// Spring's handshake validation refuses a missing key but accepts any value.
			throw new ConnectionDeny(ConnectionDeny.BAD_REQUEST, "Invalid " + SEC_WEBSOCKET_KEY);
		}
		Budget refusedBy = this.budgets.getConnections().tryReserve(1);
		if (refusedBy != null) {
			this.budgets.connectionRefused(refusedBy, request.peer());
			// Autobahn's reason for its maxConnections.
			throw new ConnectionDeny(ConnectionDeny.SERVICE_UNAVAILABLE, "maximum number of connections reached");
		}
		ProtocolConnection connection = null;
		try {
			connection = runOnConnect(request);
			return connection;
		}
		finally {
			if (connection == null) {
				this.budgets.getConnections().release(1);
			}
		}
	}

	/**
	 * Run {@code onConnect}; the connection slot is reserved, and handed to the connection
	 * if this returns.
	 */
	private ProtocolConnection runOnConnect(ConnectionRequest request) {
		WebSocketServerProtocol protocol = this.protocolFactory.create(this.definition);
		ProtocolConnection connection = new ProtocolConnection(this, protocol, request);
		ConnectionAccept accept;
		try {
			protocol.setChannel(connection);
			accept = protocol.onConnect(request);
		}
		catch (ConnectionDeny deny) {
			dispose(protocol);
			throw deny;
		}
		catch (Throwable ex) {
			logger.error("onConnect of WebSocket endpoint '" + this.definition.name() + "' failed for peer "
					+ request.peer(), ex);
			dispose(protocol);
			throw new ConnectionDeny(ConnectionDeny.INTERNAL_SERVER_ERROR, "Internal server error");
		}
		String subprotocol = (accept != null) ? accept.getSubprotocol() : null;
		if (subprotocol != null && !request.protocols().contains(subprotocol)) {
			logger.error("onConnect of WebSocket endpoint '" + this.definition.name() + "' chose subprotocol '"
					+ subprotocol + "' which the client (" + request.peer() + ") did not offer; it offered "
					+ request.protocols());
			dispose(protocol);
			throw new ConnectionDeny(ConnectionDeny.INTERNAL_SERVER_ERROR, "Internal server error");
		}
		if (subprotocol == null) {
			subprotocol = request.protocols()
				.stream()
				.filter(this.definition.settings().subprotocols()::contains)
				.findFirst()
				.orElse(null);
		}
		connection.accepted(subprotocol, (accept != null) ? accept : ConnectionAccept.accept());
		connection.holdConnectionSlot();
		return connection;
	}

	/**
	 * Give up on a connection whose handshake failed after {@code onConnect} accepted it.
	 * @param connection the connection
	 */
	public void abandon(ProtocolConnection connection) {
		connection.releaseConnectionSlot();
		dispose(connection.getProtocol());
	}

	void dispose(WebSocketServerProtocol protocol) {
		try {
			this.protocolFactory.destroy(this.definition, protocol);
		}
		catch (RuntimeException ex) {
			logger.warn("Destroying the protocol instance of WebSocket endpoint '" + this.definition.name()
					+ "' failed", ex);
		}
	}

	ConnectionRegistry getRegistry() {
		return this.registry;
	}

	ScheduledExecutorService getTimer() {
		return this.timer;
	}

	/**
	 * Return the endpoint's budgets of buffered bytes and open connections.
	 * @return the budgets
	 */
	public EndpointBudgets getBudgets() {
		return this.budgets;
	}

	EndpointSettings settings() {
		return this.definition.settings();
	}

	private static boolean isValidKey(@Nullable String key) {
		try {
			return key != null && Base64.getDecoder().decode(key.trim()).length == KEY_LENGTH;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
