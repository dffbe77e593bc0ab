package io.autobahn.spring.websocket.reactive;


import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;

import io.autobahn.spring.websocket.core.OriginPolicy;
import io.autobahn.spring.websocket.core.ServerEndpoint;

/**
 * Serves one endpoint's path on WebFlux: checks the origin (403) and the protocol version
 * (426), lets Spring validate the rest of the handshake (405, 400), then upgrades through
 * the endpoint's {@link ReactorNettyProtocolUpgradeStrategy}.
 */
public final class ReactiveEndpointHandler implements WebHandler {

	private static final String SUPPORTED_VERSION = "13";

	/** Spring's handshake service wants a handler; the upgrade strategy never calls it. */
	private static final WebSocketHandler UNUSED = (WebSocketSession session) -> Mono.empty();

	private final OriginPolicy originPolicy;

	private final HandshakeWebSocketService handshakeService;

	/**
	 * Create a handler for an endpoint.
	 * @param endpoint the endpoint
	 */
	public ReactiveEndpointHandler(ServerEndpoint endpoint) {
		this.originPolicy = new OriginPolicy(endpoint.getDefinition().settings().allowedOrigins());
		this.handshakeService = new HandshakeWebSocketService(new ReactorNettyProtocolUpgradeStrategy(endpoint));
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		if (!this.originPolicy.allows(request.getHeaders().getOrigin(), request.getURI())) {
			exchange.getResponse().setStatusCode(HttpStatus.FORBIDDEN);
			return exchange.getResponse().setComplete();
		}
		String version = request.getHeaders().getFirst("Sec-WebSocket-Version");
		if (request.getHeaders().getUpgrade() != null && !SUPPORTED_VERSION.equals(version)) {
			exchange.getResponse().setStatusCode(HttpStatus.UPGRADE_REQUIRED);
			exchange.getResponse().getHeaders().set("Sec-WebSocket-Version", SUPPORTED_VERSION);
			return exchange.getResponse().setComplete();
		}
		return this.handshakeService.handleRequest(exchange, UNUSED);
	}

}
