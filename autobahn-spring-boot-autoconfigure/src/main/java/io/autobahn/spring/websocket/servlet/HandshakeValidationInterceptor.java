package io.autobahn.spring.websocket.servlet;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import io.autobahn.spring.websocket.core.EndpointObserver;
import io.autobahn.spring.websocket.handshake.HandshakeRejection;
import io.autobahn.spring.websocket.handshake.HandshakeValidator;

/**
 * Runs an endpoint's {@link HandshakeValidator} first on the servlet stack, before
 * Spring's own handshake checks and the container's upgrade, and answers a refused
 * handshake itself, so that Tomcat and Jetty answer each bad request as Reactor Netty
 * does, and none reaches code that would throw on it. Thread-safe.
 */
final class HandshakeValidationInterceptor implements HandshakeInterceptor {

	private final HandshakeValidator validator;

	private final EndpointObserver observer;

	HandshakeValidationInterceptor(HandshakeValidator validator, EndpointObserver observer) {
		this.validator = validator;
		this.observer = observer;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws IOException {
		HandshakeRejection rejection = this.validator.check(new ServletUpgradeRequest(request));
		if (rejection != null) {
			this.observer.handshakeRefused(rejection.status(), (rejection.status() == HttpStatus.FORBIDDEN.value())
					? EndpointObserver.Refusal.ORIGIN : EndpointObserver.Refusal.INVALID);
			reject(response, rejection);
			return false;
		}
		normalizeConnectionHeader(request.getHeaders());
		return true;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

	/**
	 * Spring's handshake handler accepts only the spellings {@code Upgrade} and
	 * {@code upgrade} of the token that RFC 6455 compares case-insensitively; the
	 * request's headers are Spring's mutable copy of the servlet request's.
	 */
	private static void normalizeConnectionHeader(HttpHeaders headers) {
		List<String> connection = headers.getConnection();
		if (!connection.contains("Upgrade") && !connection.contains("upgrade")) {
			headers.setConnection("Upgrade");
		}
	}

	/**
	 * Answer a refused handshake, on the servlet stack: the validator's refusals and
	 * {@code onConnect}'s {@link io.autobahn.spring.websocket.ConnectionDeny}.
	 * @param response the response
	 * @param rejection the status, reason and headers to answer with
	 * @throws IOException if the body could not be written
	 */
	static void reject(ServerHttpResponse response, HandshakeRejection rejection) throws IOException {
		response.setStatusCode(HttpStatusCode.valueOf(rejection.status()));
		rejection.addHeadersTo(response.getHeaders());
		byte[] body = rejection.body();
		if (body != null) {
			response.getBody().write(body);
		}
	}

}
