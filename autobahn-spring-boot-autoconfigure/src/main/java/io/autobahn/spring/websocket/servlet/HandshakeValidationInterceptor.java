package io.autobahn.spring.websocket.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.RequestPath;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.ServletRequestPathUtils;

import io.autobahn.spring.websocket.handshake.HandshakeRejection;
import io.autobahn.spring.websocket.handshake.HandshakeValidator;

/**
 * Runs an endpoint's {@link HandshakeValidator} first on the servlet stack, before Spring's
 * own handshake checks and the container's upgrade, and answers a refused handshake itself,
 * so that Tomcat and Jetty answer each bad request as Reactor Netty does, and none reaches
 * code that would throw on it. Thread-safe.
 */
final class HandshakeValidationInterceptor implements HandshakeInterceptor {

	private final HandshakeValidator validator;

	HandshakeValidationInterceptor(HandshakeValidator validator) {
		this.validator = validator;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws IOException {
		HttpServletRequest servletRequest = ((ServletServerHttpRequest) request).getServletRequest();
		String query = servletRequest.getQueryString();
		String target = servletRequest.getRequestURI() + ((query != null) ? "?" + query : "");
		HttpHeaders headers = request.getHeaders();
		HandshakeRejection rejection = this.validator.check(new HandshakeValidator.Request(servletRequest.getMethod(),
				servletRequest.getProtocol(), target, pathWithinApplication(servletRequest), request::getURI, headers));
		if (rejection != null) {
			reject(response, rejection);
			return false;
		}
		normalizeConnectionHeader(headers);
		return true;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

	/** The path as sent, as Spring MVC's mapping saw it before decoding it. */
	private static String pathWithinApplication(HttpServletRequest request) {
		RequestPath path = ServletRequestPathUtils.hasParsedRequestPath(request)
				? ServletRequestPathUtils.getParsedRequestPath(request) : ServletRequestPathUtils.parse(request);
		return path.pathWithinApplication().value();
	}

	/**
	 * Spring's handshake handler accepts only the spellings {@code Upgrade} and
	 * {@code upgrade} of the token that RFC 6455 compares case-insensitively; the request's
	 * headers are Spring's mutable copy of the servlet request's.
	 */
	private static void normalizeConnectionHeader(HttpHeaders headers) {
		List<String> connection = headers.getConnection();
		if (!connection.contains("Upgrade") && !connection.contains("upgrade")) {
			headers.setConnection("Upgrade");
		}
	}

	private static void reject(ServerHttpResponse response, HandshakeRejection rejection) throws IOException {
		response.setStatusCode(HttpStatusCode.valueOf(rejection.status()));
		rejection.headers().forEach(response.getHeaders()::set);
		response.getHeaders().setContentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8));
		response.getBody().write(rejection.reason().getBytes(StandardCharsets.UTF_8));
	}

}
