package io.autobahn.spring.websocket.servlet;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.core.ServerEndpoints;
import io.autobahn.spring.websocket.handshake.HandshakeValidator;

/**
 * Maps every endpoint's path to a handshake handler on the servlet stack, and says once at
 * startup which settings the container cannot honour.
 */
public final class ServletEndpointMappings {

	/** Before Spring MVC's controllers (order 0), so an endpoint's path is its own. */
	public static final int ORDER = -2;

	private static final Log logger = LogFactory.getLog(ServletEndpointMappings.class);

	private ServletEndpointMappings() {
	}

	/**
	 * Create the handler mapping of the given endpoints that are served on the
	 * application's server (those with a dedicated port are left out).
	 * @param endpoints the endpoints
	 * @param handler the handler that forwards container events to connections
	 * @return the handler mapping
	 */
	public static WebSocketHandlerMapping create(ServerEndpoints endpoints, ProtocolWebSocketHandler handler) {
		Map<String, Object> urlMap = new LinkedHashMap<>();
		for (ServerEndpoint endpoint : endpoints.endpoints()) {
			if (endpoint.getDefinition().hasDedicatedPort()) {
				continue;
			}
			RequestUpgradeStrategy containerStrategy = ProtocolHandshakeHandler.containerStrategy();
			warnAboutUnsupportedSettings(endpoint.getDefinition(), containerStrategy);
			WebSocketHttpRequestHandler requestHandler = new WebSocketHttpRequestHandler(handler,
					new ProtocolHandshakeHandler(endpoint, handler, containerStrategy));
			requestHandler.setHandshakeInterceptors(
					List.of(new HandshakeValidationInterceptor(validator(endpoint.getDefinition()))));
			urlMap.put(endpoint.getDefinition().path(), requestHandler);
		}
		WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
		mapping.setUrlMap(urlMap);
		mapping.setOrder(ORDER);
		return mapping;
	}

	private static HandshakeValidator validator(EndpointDefinition endpoint) {
		return new HandshakeValidator(endpoint.name(), endpoint.path(), endpoint.settings().allowedOrigins());
	}

	private static void warnAboutUnsupportedSettings(EndpointDefinition endpoint, RequestUpgradeStrategy strategy) {
		boolean jetty = strategy instanceof JettyRequestUpgradeStrategy;
		String container = jetty ? "Jetty" : "the servlet container";
		EndpointSettings settings = endpoint.settings();
		if (isPositive(settings.openHandshakeTimeout())) {
			// Also with the default: the application's port serves its HTTP traffic too, so
			// the starter cannot put a deadline on a connection before its request arrives.
			String containerTimeout = jetty ? "Jetty's idle timeout (server.jetty.connection-idle-timeout)"
					: "the servlet container's connection timeout (server.tomcat.connection-timeout)";
			warn(endpoint, "open-handshake-timeout is not applied on the application's port: " + containerTimeout
					+ " limits how long a handshake may take");
		}
		if (settings.maxFramePayloadSize() > 0) {
			// Jetty's own frame limit splits larger frames (and outgoing messages) rather than refusing them.
			warn(endpoint, "max-frame-payload-size is not applied on " + container
					+ ", which does not refuse large frames; max-message-payload-size still bounds every message");
		}
		if (endpoint.overrides("onPing", byte[].class)) {
			warn(endpoint, endpoint.protocolType().getSimpleName() + ".onPing is not called on the servlet stack: "
					+ container + " answers pings itself");
		}
	}

	private static boolean isPositive(Duration duration) {
		return !duration.isZero() && !duration.isNegative();
	}

	private static void warn(EndpointDefinition endpoint, String message) {
		logger.warn("WebSocket endpoint '" + endpoint.name() + "': " + message);
	}

}
