package io.autobahn.spring.websocket.reactive;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.http.HttpCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.MultiValueMap;

import io.autobahn.spring.websocket.handshake.HttpUpgradeRequest;

/**
 * A WebFlux upgrade request (on the application's port or a dedicated one) as the
 * starter's handshake code reads it. One per request, on its event loop.
 */
final class ReactiveUpgradeRequest extends HttpUpgradeRequest {

	private static final String X_FORWARDED_FOR = "X-Forwarded-For";

	private final ServerHttpRequest request;

	ReactiveUpgradeRequest(ServerHttpRequest request) {
		super(request);
		this.request = request;
	}

	@Override
	public String protocol() {
		return (nativeRequest() instanceof HttpServerRequest reactorRequest) ? reactorRequest.version().text()
				: "HTTP/1.1";
	}

	/** The request-target as sent: the request's URI has lost a fragment. */
	@Override
	public String target() {
		return (nativeRequest() instanceof HttpServerRequest reactorRequest) ? reactorRequest.uri()
				: this.request.getURI().toString();
	}

	@Override
	public String pathWithinApplication() {
		return this.request.getPath().pathWithinApplication().value();
	}

	/** The URI's raw path: the base path included, not decoded. */
	@Override
	public String rawPath() {
		return this.request.getURI().getRawPath();
	}

	@Override
	public MultiValueMap<String, String> queryParams() {
		return this.request.getQueryParams();
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		return this.request.getRemoteAddress();
	}

	/**
	 * The header as Reactor Netty received it: Spring's
	 * {@code ForwardedHeaderTransformer} removes it from the request it hands on, and
	 * Reactor Netty's own forwarded-header support leaves it.
	 */
	@Override
	public List<String> forwardedFor() {
		if (nativeRequest() instanceof HttpServerRequest reactorRequest) {
			return reactorRequest.requestHeaders().getAll(X_FORWARDED_FOR);
		}
		return this.request.getHeaders().getOrEmpty(X_FORWARDED_FOR);
	}

	@Override
	public List<HttpCookie> cookies() {
		List<HttpCookie> cookies = new ArrayList<>();
		this.request.getCookies().values().forEach(cookies::addAll);
		return cookies;
	}

	private Object nativeRequest() {
		return ServerHttpRequestDecorator.getNativeRequest(this.request);
	}

}
