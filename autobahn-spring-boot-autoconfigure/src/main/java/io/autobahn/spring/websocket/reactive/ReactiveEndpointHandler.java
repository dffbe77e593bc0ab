package io.autobahn.spring.websocket.reactive;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;

import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.core.EndpointObserver;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.handshake.HandshakeRejection;
import io.autobahn.spring.websocket.handshake.HandshakeValidator;

/**
 * Serves one endpoint's path on WebFlux and on a dedicated port: runs the endpoint's
 * {@link HandshakeValidator} (path rule, request line, headers, origin), answers a
 * refused handshake itself, then upgrades through Spring's handshake service and the
 * endpoint's {@link ReactorNettyProtocolUpgradeStrategy}. Thread-safe.
 */
public final class ReactiveEndpointHandler implements WebHandler {

	/**
	 * Spring's handshake service wants a handler; the upgrade strategy never calls it.
	 */
	private static final WebSocketHandler UNUSED = (WebSocketSession session) -> Mono.empty();

	private final HandshakeValidator validator;

	private final HandshakeWebSocketService handshakeService;

	private final EndpointObserver observer;

	/**
	 * Create a handler for an endpoint.
	 * @param endpoint the endpoint
	 */
	public ReactiveEndpointHandler(ServerEndpoint endpoint) {
		EndpointDefinition definition = endpoint.getDefinition();
		this.validator = new HandshakeValidator(definition.name(), definition.path(),
				definition.settings().allowedOrigins());
		this.handshakeService = new HandshakeWebSocketService(new ReactorNettyProtocolUpgradeStrategy(endpoint));
		this.observer = endpoint.getObserver();
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		HandshakeRejection rejection = this.validator.check(new ReactiveUpgradeRequest(exchange.getRequest()));
		if (rejection != null) {
			this.observer.handshakeRefused(rejection.status(), (rejection.status() == HttpStatus.FORBIDDEN.value())
					? EndpointObserver.Refusal.ORIGIN : EndpointObserver.Refusal.INVALID);
			return reject(exchange.getResponse(), rejection);
		}
		return this.handshakeService.handleRequest(withUpgradeToken(exchange), UNUSED);
	}

	/**
	 * Spring's handshake service accepts only the spellings {@code Upgrade} and
	 * {@code upgrade} of the token that RFC 6455 compares case-insensitively.
	 */
	private static ServerWebExchange withUpgradeToken(ServerWebExchange exchange) {
		List<String> connection = exchange.getRequest().getHeaders().getConnection();
		if (connection.contains("Upgrade") || connection.contains("upgrade")) {
			return exchange;
		}
		return exchange.mutate()
			.request((request) -> request.headers((headers) -> headers.setConnection("Upgrade")))
			.build();
	}

	/**
	 * Answer a refused handshake, on Reactor Netty: the validator's refusals and
	 * {@code onConnect}'s {@link io.autobahn.spring.websocket.ConnectionDeny}.
	 * @param response the response
	 * @param rejection the status, reason and headers to answer with
	 * @return completes once the answer is written
	 */
	static Mono<Void> reject(ServerHttpResponse response, HandshakeRejection rejection) {
		response.setStatusCode(HttpStatusCode.valueOf(rejection.status()));
		rejection.addHeadersTo(response.getHeaders());
		byte[] body = rejection.body();
		return (body != null) ? response.writeWith(Mono.just(response.bufferFactory().wrap(body)))
				: response.setComplete();
	}

}
