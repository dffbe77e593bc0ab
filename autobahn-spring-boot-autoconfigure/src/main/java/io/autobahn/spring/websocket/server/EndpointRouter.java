package io.autobahn.spring.websocket.server;

import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;

/**
 * The whole application of a dedicated port: each endpoint's handler on its exact path,
 * {@code 404} for every other request.
 */
final class EndpointRouter implements WebHandler {

	private final Map<String, WebHandler> handlersByPath;

	EndpointRouter(Map<String, WebHandler> handlersByPath) {
		this.handlersByPath = Map.copyOf(handlersByPath);
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		WebHandler handler = this.handlersByPath.get(exchange.getRequest().getPath().pathWithinApplication().value());
		if (handler == null) {
			exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
			return exchange.getResponse().setComplete();
		}
		return handler.handle(exchange);
	}

}
