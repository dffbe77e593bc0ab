package io.autobahn.spring.websocket.core;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.web.cors.CorsConfiguration;

/**
 * Which browser origins may open a connection: the same origin only unless origins (or
 * patterns such as {@code https://*.example.com}) are configured. A request without an
 * {@code Origin} header comes from a non-browser client and is allowed.
 */
public final class OriginPolicy {

	private final CorsConfiguration allowed = new CorsConfiguration();

	private final boolean sameOriginOnly;

	/**
	 * Create a policy.
	 * @param allowedOrigins the configured origins or patterns; empty for same origin only
	 */
	public OriginPolicy(List<String> allowedOrigins) {
		this.sameOriginOnly = allowedOrigins.isEmpty();
		this.allowed.setAllowedOriginPatterns(allowedOrigins);
	}

	/**
	 * Return whether a handshake may proceed.
	 * @param origin the {@code Origin} header, or {@code null}
	 * @param requestUri the request's URI (scheme, host and port as the client addressed the
	 * server)
	 * @return whether the origin is allowed
	 */
	public boolean allows(@Nullable String origin, URI requestUri) {
		if (origin == null || isSameOrigin(origin, requestUri)) {
			return true;
		}
		return !this.sameOriginOnly && this.allowed.checkOrigin(origin) != null;
	}

	private static boolean isSameOrigin(String origin, URI requestUri) {
		try {
			URI originUri = URI.create(origin);
			return requestUri.getHost() != null && requestUri.getHost().equalsIgnoreCase(originUri.getHost())
					&& port(requestUri) == port(originUri);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		String scheme = uri.getScheme();
		return ("https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme)) ? 443 : 80;
	}

}
