package io.autobahn.spring.websocket.servlet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.core.ServerEndpoints;
import io.autobahn.spring.websocket.handshake.HandshakeValidator;

/**
 * Maps every endpoint's path to a handshake handler on the servlet stack.
 */
public final class ServletEndpointMappings {

	/** Before Spring MVC's controllers (order 0), so an endpoint's path is its own. */
	public static final int ORDER = -2;

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
			WebSocketHttpRequestHandler requestHandler = new WebSocketHttpRequestHandler(handler,
					new ProtocolHandshakeHandler(endpoint, handler, containerStrategy));
			requestHandler.setHandshakeInterceptors(List
				.of(new HandshakeValidationInterceptor(validator(endpoint.getDefinition()), endpoint.getObserver())));
			urlMap.put(endpoint.getDefinition().path(), requestHandler);
		}
		WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
		mapping.setUrlMap(urlMap);
		mapping.setOrder(ORDER);
		return mapping;
	}

	/**
	 * Return whether the servlet container's WebSocket support is Jetty's (else a Jakarta
	 * WebSocket container: Tomcat).
	 * @return whether the endpoints are served by Jetty
	 */
	public static boolean isJetty() {
		return ProtocolHandshakeHandler.containerStrategy() instanceof JettyRequestUpgradeStrategy;
	}

	private static HandshakeValidator validator(EndpointDefinition endpoint) {
		return new HandshakeValidator(endpoint.name(), endpoint.path(), endpoint.settings().allowedOrigins());
	}

}
