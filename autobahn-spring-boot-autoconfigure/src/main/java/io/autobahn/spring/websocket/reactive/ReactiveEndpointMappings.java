package io.autobahn.spring.websocket.reactive;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.core.ServerEndpoints;

/**
 * Maps every endpoint's path to its {@link ReactiveEndpointHandler} on WebFlux, and says
 * once at startup which settings Reactor Netty cannot honour.
 */
public final class ReactiveEndpointMappings {

	/** Before WebFlux's controllers (order 0), so an endpoint's path is its own. */
	public static final int ORDER = -2;

	private static final Log logger = LogFactory.getLog(ReactiveEndpointMappings.class);

	private ReactiveEndpointMappings() {
	}

	/**
	 * Create the handler mapping of the given endpoints that are served on the
	 * application's server (those with a dedicated port are left out).
	 * @param endpoints the endpoints
	 * @return the handler mapping
	 */
	public static SimpleUrlHandlerMapping create(ServerEndpoints endpoints) {
		Map<String, Object> urlMap = new LinkedHashMap<>();
		for (ServerEndpoint endpoint : endpoints.endpoints()) {
			if (endpoint.getDefinition().hasDedicatedPort()) {
				continue;
			}
			warnAboutUnsupportedSettings(endpoint.getDefinition());
			urlMap.put(endpoint.getDefinition().path(), new ReactiveEndpointHandler(endpoint));
		}
		SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(urlMap);
		mapping.setOrder(ORDER);
		return mapping;
	}

	private static void warnAboutUnsupportedSettings(EndpointDefinition endpoint) {
		Duration timeout = endpoint.settings().openHandshakeTimeout();
		if (!timeout.isZero() && !timeout.isNegative()) {
			// Also with the default: the application's port serves its HTTP traffic too, so
			// the starter cannot put a deadline on a connection before its request arrives.
			logger.warn("WebSocket endpoint '" + endpoint.name() + "': open-handshake-timeout is not applied on "
					+ "the application's port: Reactor Netty's idle timeout (server.netty.idle-timeout, none unless "
					+ "set) limits how long a handshake may take");
		}
	}

}
