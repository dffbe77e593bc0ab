package io.autobahn.spring.websocket.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import io.autobahn.spring.websocket.WebSocketConnection;
import io.autobahn.spring.websocket.WebSocketConnections;
import io.autobahn.spring.websocket.core.ClusterView;
import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.core.ServerEndpoints;

/**
 * The Actuator endpoint {@code websocket} ({@code /actuator/websocket} once exposed):
 * <ul>
 * <li>{@code GET /actuator/websocket}: every WebSocket endpoint with its path, URL, port,
 * server, {@code wss}, effective settings and open-connection count, and the
 * application's open client connections by client name ({@code clients});</li>
 * <li>{@code GET /actuator/websocket/{endpoint}?offset=0&limit=100}: one endpoint and a
 * page of its open connections, oldest first (at most {@value #MAX_LIMIT} a page);</li>
 * <li>{@code POST /actuator/websocket/{endpoint}} and {@code POST
 * /actuator/websocket/{endpoint}/{id}}, with an optional body {@code {"code": 1000,
 * "reason": "..."}}: close all of the endpoint's connections, or one, with a close
 * handshake, answering how many were asked to; an endpoint that does not exist, or a code
 * that {@code sendClose} refuses, gets {@code 400}. Off by default: the endpoint's
 * default access is read-only, and
 * {@code management.endpoint.websocket.access=unrestricted} allows them.</li>
 * </ul>
 * Every connection is listed by what identifies it and its traffic, never its request's
 * query or headers. Thread-safe; the figures are read live and may move while a response
 * is built.
 */
@Endpoint(id = "websocket", defaultAccess = Access.READ_ONLY)
public class WebSocketActuatorEndpoint {

	/** The connections of a page when the request names no limit. */
	public static final int DEFAULT_LIMIT = 100;

	/** The most connections of a page. */
	public static final int MAX_LIMIT = 1000;

	private static final Comparator<WebSocketConnection> OLDEST_FIRST = Comparator
		.comparing(WebSocketConnection::getOpenedAt, Comparator.nullsLast(Comparator.naturalOrder()))
		.thenComparing(WebSocketConnection::getId);

	private final ServerEndpoints endpoints;

	private final EndpointLocator locator;

	private final @Nullable ClusterView cluster;

	private final @Nullable WebSocketConnections connections;

	/**
	 * Create the endpoint.
	 * @param endpoints the WebSocket endpoints, with their open connections
	 * @param locator says where each endpoint is served
	 */
	public WebSocketActuatorEndpoint(ServerEndpoints endpoints, EndpointLocator locator) {
		this(endpoints, locator, null);
	}

	/**
	 * Create the endpoint of an instance linked with others.
	 * @param endpoints the WebSocket endpoints, with their open connections
	 * @param locator says where each endpoint is served
	 * @param cluster what this instance knows of the others, or {@code null} if it is
	 * alone
	 */
	public WebSocketActuatorEndpoint(ServerEndpoints endpoints, EndpointLocator locator,
			@Nullable ClusterView cluster) {
		this(endpoints, locator, cluster, null);
	}

	/**
	 * Create the endpoint of an instance that may also connect as a client.
	 * @param endpoints the WebSocket endpoints, with their open connections
	 * @param locator says where each endpoint is served
	 * @param cluster what this instance knows of the others, or {@code null} if it is
	 * alone
	 * @param connections every open connection, the application's client connections
	 * included, or {@code null} to leave the clients out
	 */
	public WebSocketActuatorEndpoint(ServerEndpoints endpoints, EndpointLocator locator, @Nullable ClusterView cluster,
			@Nullable WebSocketConnections connections) {
		this.endpoints = endpoints;
		this.locator = locator;
		this.cluster = cluster;
		this.connections = connections;
	}

	/**
	 * Describe every endpoint.
	 * @return the endpoints by name
	 */
	@ReadOperation
	public WebSocketEndpointsDescriptor endpoints() {
		Map<String, EndpointDescriptor> endpoints = new LinkedHashMap<>();
		for (ServerEndpoint endpoint : this.endpoints.endpoints()) {
			endpoints.put(endpoint.getDefinition().name(), describe(endpoint));
		}
		ClusterView cluster = this.cluster;
		return new WebSocketEndpointsDescriptor(endpoints, clients(), (cluster != null)
				? new ClusterDescriptor(cluster.getInstanceId(), cluster.isLinkUp(), cluster.getInstanceConnections())
				: null);
	}

	private Map<String, Integer> clients() {
		Map<String, Integer> clients = new TreeMap<>();
		if (this.connections != null) {
			for (WebSocketConnection connection : this.connections) {
				if (!connection.isServer()) {
					clients.merge(connection.getEndpoint(), 1, Integer::sum);
				}
			}
		}
		return clients;
	}

	/**
	 * Describe an endpoint and a page of its open connections, oldest first.
	 * @param endpoint the endpoint's name
	 * @param offset how many connections to skip (default 0)
	 * @param limit the most connections to list (default {@value #DEFAULT_LIMIT}, at most
	 * {@value #MAX_LIMIT})
	 * @return the endpoint and its connections, or {@code null} (404) for no such
	 * endpoint
	 */
	@ReadOperation
	public @Nullable EndpointConnectionsDescriptor endpoint(@Selector String endpoint, @Nullable Integer offset,
			@Nullable Integer limit) {
		ServerEndpoint found = find(endpoint);
		if (found == null) {
			return null;
		}
		int from = (offset != null) ? offset : 0;
		int count = (limit != null) ? limit : DEFAULT_LIMIT;
		if (from < 0 || count < 0) {
			throw new InvalidEndpointRequestException("offset and limit must not be negative",
					"offset and limit must not be negative");
		}
		count = Math.min(count, MAX_LIMIT);
		List<WebSocketConnection> open = found.getConnections().stream().sorted(OLDEST_FIRST).toList();
		List<ConnectionDescriptor> page = open.stream()
			.skip(from)
			.limit(count)
			.map(WebSocketActuatorEndpoint::describe)
			.toList();
		return new EndpointConnectionsDescriptor(describe(found), open.size(), from, count, page);
	}

	/**
	 * Close every open connection of an endpoint with a close handshake.
	 * @param endpoint the endpoint's name
	 * @param code the close code: 1000 (the default) or 3000-4999
	 * @param reason the close reason, at most 123 UTF-8 bytes, or {@code null}
	 * @return how many connections were asked to close
	 * @throws InvalidEndpointRequestException (400) for no such endpoint, or a code or
	 * reason that {@code sendClose} refuses
	 */
	@WriteOperation
	public CloseDescriptor closeAll(@Selector String endpoint, @Nullable Integer code, @Nullable String reason) {
		int closing = 0;
		for (WebSocketConnection connection : existing(endpoint).getConnections()) {
			if (close(connection, code, reason)) {
				closing++;
			}
		}
		return new CloseDescriptor(closing);
	}

	/**
	 * Close one open connection of an endpoint with a close handshake.
	 * @param endpoint the endpoint's name
	 * @param id the connection's id
	 * @param code the close code: 1000 (the default) or 3000-4999
	 * @param reason the close reason, at most 123 UTF-8 bytes, or {@code null}
	 * @return 1 if the connection was asked to close, 0 if it is not open (any more)
	 * @throws InvalidEndpointRequestException (400) for no such endpoint, or a code or
	 * reason that {@code sendClose} refuses
	 */
	@WriteOperation
	public CloseDescriptor close(@Selector String endpoint, @Selector String id, @Nullable Integer code,
			@Nullable String reason) {
		WebSocketConnection connection = existing(endpoint).getConnections().get(id);
		return new CloseDescriptor((connection != null && close(connection, code, reason)) ? 1 : 0);
	}

	private static boolean close(WebSocketConnection connection, @Nullable Integer code, @Nullable String reason) {
		try {
			connection.sendClose((code != null) ? code : 1000, reason);
			return true;
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
		}
		catch (IllegalStateException ex) {
			// Not open yet: it is not listed for long.
			return false;
		}
	}

	private ServerEndpoint existing(String name) {
		ServerEndpoint found = find(name);
		if (found == null) {
			String message = "No WebSocket endpoint '" + name + "'";
			throw new InvalidEndpointRequestException(message, message);
		}
		return found;
	}

	private @Nullable ServerEndpoint find(String name) {
		for (ServerEndpoint endpoint : this.endpoints.endpoints()) {
			if (endpoint.getDefinition().name().equals(name)) {
				return endpoint;
			}
		}
		return null;
	}

	private EndpointDescriptor describe(ServerEndpoint endpoint) {
		EndpointDefinition definition = endpoint.getDefinition();
		EndpointLocator.Location location = this.locator.locate(definition);
		return new EndpointDescriptor("server", definition.path(), location.url(), location.port(),
				definition.hasDedicatedPort(), location.stack(), location.secure(), endpoint.getConnections().size(),
				settings(definition.settings()));
	}

	private static ConnectionDescriptor describe(WebSocketConnection connection) {
		Instant openedAt = connection.getOpenedAt();
		return new ConnectionDescriptor(connection.getId(), connection.getPeer(), connection.getSubprotocol(),
				connection.getExtensions(), (openedAt != null) ? openedAt.toString() : null,
				connection.getMessagesReceived(), connection.getBytesReceived(), connection.getMessagesSent(),
				connection.getBytesSent());
	}

	/**
	 * The effective settings under their property names; sizes in bytes, durations in
	 * ISO-8601; an option that is not set (off) is left out.
	 */
	static Map<String, Object> settings(EndpointSettings settings) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("allowed-origins", settings.allowedOrigins());
		map.put("max-message-payload-size", settings.maxMessagePayloadSize());
		putIfPositive(map, "max-frame-payload-size", settings.maxFramePayloadSize());
		putIfPositive(map, "auto-fragment-size", settings.autoFragmentSize());
		map.put("open-handshake-timeout", settings.openHandshakeTimeout().toString());
		map.put("close-handshake-timeout", settings.closeHandshakeTimeout().toString());
		putIfSet(map, "auto-ping-interval", settings.autoPingInterval());
		putIfSet(map, "auto-ping-timeout", settings.autoPingTimeout());
		map.put("auto-ping-size", settings.autoPingSize());
		map.put("auto-ping-restart-on-any-traffic", settings.autoPingRestartOnAnyTraffic());
		map.put("per-message-compression", settings.perMessageCompression());
		map.put("subprotocols", settings.subprotocols());
		map.put("send-buffer-size-limit", settings.sendBufferSizeLimit());
		map.put("send-time-limit", settings.sendTimeLimit().toString());
		map.put("blocking-hooks", settings.blockingHooks());
		putIfPositive(map, "max-connections", settings.maxConnections());
		putIfPositive(map, "inbound-budget", settings.inboundBudget());
		putIfPositive(map, "outbound-budget", settings.outboundBudget());
		map.put("trust-x-forwarded-for", settings.trustXForwardedFor());
		return map;
	}

	private static void putIfPositive(Map<String, Object> map, String name, long value) {
		if (value > 0) {
			map.put(name, value);
		}
	}

	private static void putIfSet(Map<String, Object> map, String name, @Nullable Duration value) {
		if (value != null) {
			map.put(name, value.toString());
		}
	}

	/**
	 * Every endpoint, and the instances this one is linked with.
	 *
	 * @param endpoints the endpoints by name
	 * @param clients the application's open client connections ({@code side=client}), by
	 * the client's name
	 * @param cluster the linked instances, or {@code null} (left out) when there is no
	 * link
	 */
	public record WebSocketEndpointsDescriptor(Map<String, EndpointDescriptor> endpoints, Map<String, Integer> clients,
			@Nullable ClusterDescriptor cluster) {

		public WebSocketEndpointsDescriptor(Map<String, EndpointDescriptor> endpoints) {
			this(endpoints, Map.of(), null);
		}

	}

	/**
	 * The instances of the application this one is linked with.
	 *
	 * @param instance this instance's id
	 * @param linkUp whether the link is up
	 * @param connections each instance's open connections as its last heartbeat said,
	 * this one's live, by instance id
	 */
	public record ClusterDescriptor(String instance, boolean linkUp, Map<String, Integer> connections) {
	}

	/**
	 * One endpoint.
	 *
	 * @param side {@code server}: the application accepts its connections
	 * @param path its path
	 * @param url its URL as a client reaches it on this host ({@code *}: every
	 * interface), or {@code null} while its server does not listen
	 * @param port the port it listens on, or {@code null} while its server does not
	 * listen
	 * @param dedicatedPort whether that is a port of its own
	 * @param stack the server that serves it
	 * @param wss whether it serves {@code wss}
	 * @param connections how many connections are open
	 * @param settings its effective settings
	 */
	public record EndpointDescriptor(String side, String path, @Nullable String url, @Nullable Integer port,
			boolean dedicatedPort, String stack, boolean wss, int connections, Map<String, Object> settings) {
	}

	/**
	 * One endpoint and a page of its open connections.
	 *
	 * @param endpoint the endpoint
	 * @param total how many connections are open
	 * @param offset how many were skipped
	 * @param limit the most that are listed
	 * @param connections the connections listed, oldest first
	 */
	public record EndpointConnectionsDescriptor(EndpointDescriptor endpoint, int total, int offset, int limit,
			List<ConnectionDescriptor> connections) {
	}

	/**
	 * One open connection.
	 *
	 * @param id its id
	 * @param peer its peer, as {@code ConnectionRequest.peer()}
	 * @param subprotocol the negotiated subprotocol, or {@code null}
	 * @param extensions the negotiated extensions
	 * @param openedAt when it opened (ISO-8601), or {@code null} while opening
	 * @param messagesReceived messages received
	 * @param bytesReceived payload bytes received
	 * @param messagesSent messages sent
	 * @param bytesSent payload bytes sent
	 */
	public record ConnectionDescriptor(String id, String peer, @Nullable String subprotocol, List<String> extensions,
			@Nullable String openedAt, long messagesReceived, long bytesReceived, long messagesSent, long bytesSent) {
	}

	/**
	 * What a close operation did.
	 *
	 * @param closing how many connections were asked to close
	 */
	public record CloseDescriptor(int closing) {
	}

}
