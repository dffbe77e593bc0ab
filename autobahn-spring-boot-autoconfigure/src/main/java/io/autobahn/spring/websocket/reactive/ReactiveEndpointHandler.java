package io.autobahn.spring.websocket.reactive;

import java.nio.charset.StandardCharsets;
import java.util.List;

import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;

import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.handshake.HandshakeRejection;
import io.autobahn.spring.websocket.handshake.HandshakeValidator;

/**
 * Serves one endpoint's path on WebFlux and on a dedicated port: runs the endpoint's
 * {@link HandshakeValidator} (path rule, request line, headers, origin), answers a refused
 * handshake itself, then upgrades through Spring's handshake service and the endpoint's
 * {@link ReactorNettyProtocolUpgradeStrategy}. Thread-safe.
 */
public final class ReactiveEndpointHandler implements WebHandler {

	/** Spring's handshake service wants a handler; the upgrade strategy never calls it. */
	private static final WebSocketHandler UNUSED = (WebSocketSession session) -> Mono.empty();

	private final HandshakeValidator validator;

	private final HandshakeWebSocketService handshakeService;

	/**
	 * Create a handler for an endpoint.
	 * @param endpoint the endpoint
	 */
	public ReactiveEndpointHandler(ServerEndpoint endpoint) {
		this.validator = new HandshakeValidator(endpoint.getDefinition());
		this.handshakeService = new HandshakeWebSocketService(new ReactorNettyProtocolUpgradeStrategy(endpoint));
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		HandshakeRejection rejection = this.validator.check(new HandshakeValidator.Request(request.getMethod().name(),
				protocol(request), target(request), request.getPath().pathWithinApplication().value(), request::getURI,
				request.getHeaders()));
		if (rejection != null) {
			return reject(exchange.getResponse(), rejection);
		}
		return this.handshakeService.handleRequest(withUpgradeToken(exchange), UNUSED);
	}

	private static String protocol(ServerHttpRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		return (nativeRequest instanceof HttpServerRequest reactorRequest) ? reactorRequest.version().text()
				: "HTTP/1.1";
	}

	/** The request-target as sent: the request's URI has lost a fragment. */
	private static String target(ServerHttpRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		return (nativeRequest instanceof HttpServerRequest reactorRequest) ? reactorRequest.uri()
				: request.getURI().toString();
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

	private static Mono<Void> reject(ServerHttpResponse response, HandshakeRejection rejection) {
		response.setStatusCode(HttpStatusCode.valueOf(rejection.status()));
		HttpHeaders headers = response.getHeaders();
		rejection.headers().forEach(headers::set);
		headers.setContentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8));
		DataBuffer body = response.bufferFactory().wrap(rejection.reason().getBytes(StandardCharsets.UTF_8));
		return response.writeWith(Mono.just(body));
	}

}
