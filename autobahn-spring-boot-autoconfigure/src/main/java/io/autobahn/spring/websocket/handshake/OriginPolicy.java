package io.autobahn.spring.websocket.handshake;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.web.cors.CorsConfiguration;

/**
 * Which browser origins may open a connection, the same code on every stack and port. A
 * request without an {@code Origin} header comes from a non-browser client and is
 * allowed. A request with one is allowed when its origin is the server's own, compared as
 * RFC 6454 compares origins (scheme, host case-insensitively, and port, with the scheme's
 * default port filled in), or when it matches one of the configured origins or patterns
 * (such as {@code https://*.example.com} or {@code *}). More than one {@code Origin}
 * header, or one that is not a serialized origin ({@code scheme://host[:port]} or
 * {@code null}), is refused whatever is configured. Immutable and thread-safe.
 */
public final class OriginPolicy {

	private static final String NULL_ORIGIN = "null";

	private final CorsConfiguration allowed = new CorsConfiguration();

	private final boolean sameOriginOnly;

	/**
	 * Create a policy.
	 * @param allowedOrigins the configured origins or patterns; empty for same origin
	 * only
	 */
	public OriginPolicy(List<String> allowedOrigins) {
		this.sameOriginOnly = allowedOrigins.isEmpty();
		// Origins compare scheme and host case-insensitively; the patterns match
		// case-sensitively.
		this.allowed.setAllowedOriginPatterns(
				allowedOrigins.stream().map((origin) -> origin.trim().toLowerCase(Locale.ROOT)).toList());
	}

	/**
	 * Return whether a handshake may proceed.
	 * @param origins every value of the request's {@code Origin} header, in order (empty
	 * when the request has none)
	 * @param requestUri the request's URI as the server sees it (scheme, host and port
	 * the client addressed)
	 * @return whether the origin is allowed
	 */
	public boolean allows(List<String> origins, URI requestUri) {
		if (origins.isEmpty()) {
			return true;
		}
		if (origins.size() > 1) {
			return false;
		}
		Origin origin = Origin.parse(origins.get(0).trim());
		if (origin == null) {
			return false;
		}
		if (origin.isSameAs(requestUri)) {
			return true;
		}
		return !this.sameOriginOnly && this.allowed.checkOrigin(origin.toString()) != null;
	}

	/**
	 * A serialized origin (RFC 6454 6.2): a scheme, a host and an optional port, or
	 * {@code null}: an opaque origin, which has an empty scheme and host here.
	 */
	private record Origin(String scheme, String host, int port) {

		private static final Origin OPAQUE = new Origin("", "", -1);

		static @Nullable Origin parse(String value) {
			if (value.equals(NULL_ORIGIN)) {
				return OPAQUE;
			}
			int separator = value.indexOf("://");
			if (separator <= 0 || !isScheme(value.substring(0, separator))) {
				return null;
			}
			String scheme = value.substring(0, separator).toLowerCase(Locale.ROOT);
			String authority = value.substring(separator + 3);
			String host;
			String rest;
			if (authority.startsWith("[")) {
				int end = authority.indexOf(']') + 1;
				host = (end > 0) ? authority.substring(0, end) : "";
				rest = (end > 0) ? authority.substring(end) : "";
			}
			else {
				int colon = authority.indexOf(':');
				host = (colon < 0) ? authority : authority.substring(0, colon);
				rest = (colon < 0) ? "" : authority.substring(colon);
			}
			if (host.isEmpty() || !(host.startsWith("[") ? isIpLiteral(host) : isRegisteredName(host))) {
				return null;
			}
			int port = -1;
			if (!rest.isEmpty()) {
				port = (rest.charAt(0) == ':') ? parsePort(rest.substring(1)) : -1;
				if (port < 0) {
					return null;
				}
			}
			return new Origin(scheme, host.toLowerCase(Locale.ROOT), port);
		}

		boolean isSameAs(URI requestUri) {
			String requestHost = requestUri.getHost();
			String requestScheme = requestUri.getScheme();
			if (requestHost == null || requestScheme == null || this == OPAQUE) {
				return false;
			}
			String scheme = httpScheme(requestScheme.toLowerCase(Locale.ROOT));
			return this.scheme.equals(scheme) && this.host.equalsIgnoreCase(requestHost)
					&& effectivePort(this.scheme, this.port) == effectivePort(scheme, requestUri.getPort());
		}

		@Override
		public String toString() {
			if (this == OPAQUE) {
				return NULL_ORIGIN;
			}
			return this.scheme + "://" + this.host + ((this.port != -1) ? ":" + this.port : "");
		}

		/** The request side may name the WebSocket scheme; an origin's is the page's. */
		private static String httpScheme(String scheme) {
			return switch (scheme) {
				case "ws" -> "http";
				case "wss" -> "https";
				default -> scheme;
			};
		}

		private static int effectivePort(String scheme, int port) {
			if (port != -1) {
				return port;
			}
			return switch (scheme) {
				case "http" -> 80;
				case "https" -> 443;
				default -> -1;
			};
		}

		private static boolean isScheme(String scheme) {
			if (!isAsciiLetter(scheme.charAt(0))) {
				return false;
			}
			return scheme.chars().allMatch((c) -> isAsciiLetter(c) || isDigit(c) || c == '+' || c == '-' || c == '.');
		}

		/**
		 * Letters, digits and {@code -._~}: browsers send a host in its ASCII (punycode)
		 * form.
		 */
		private static boolean isRegisteredName(String host) {
			return host.chars()
				.allMatch((c) -> isAsciiLetter(c) || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~');
		}

		private static boolean isIpLiteral(String host) {
			String address = host.substring(1, host.length() - 1);
			return !address.isEmpty() && address.chars()
				.allMatch(
						(c) -> isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.');
		}

		private static int parsePort(String port) {
			if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Origin::isDigit)) {
				return -1;
			}
			int value = Integer.parseInt(port);
			return (value <= 65535) ? value : -1;
		}

		private static boolean isAsciiLetter(int c) {
			return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		}

		private static boolean isDigit(int c) {
			return c >= '0' && c <= '9';
		}

	}

}
