package io.autobahn.spring.websocket.reactive;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.core.ServerEndpoints;

/**
 * Maps every endpoint's path to its {@link ReactiveEndpointHandler} on WebFlux.
 */
public final class ReactiveEndpointMappings {

	/** Before WebFlux's controllers (order 0), so an endpoint's path is its own. */
	public static final int ORDER = -2;

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
			urlMap.put(endpoint.getDefinition().path(), new ReactiveEndpointHandler(endpoint));
		}
		SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(urlMap);
		mapping.setOrder(ORDER);
		return mapping;
	}

}
