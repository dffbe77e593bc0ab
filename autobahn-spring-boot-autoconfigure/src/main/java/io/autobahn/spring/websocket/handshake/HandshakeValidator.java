package io.autobahn.spring.websocket.handshake;

import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * The checks of an opening handshake for one endpoint, the same on every stack and port,
 * run by the adapters before the container's upgrade and before {@code onConnect}. In
 * this order, the first that fails answers:
 * <ol>
 * <li>a request-target with a fragment ({@code #}, invalid per RFC 9112):
 * {@code 400};</li>
 * <li>the path rule: the path as sent (percent-encoding, {@code ;} parameters and slashes
 * kept) must equal the endpoint's path, else {@code 404};</li>
 * <li>HTTP/1.1 (RFC 6455 4.1; HTTP/2 and later leave the rest of the handshake to the
 * container), else {@code 400};</li>
 * <li>method {@code GET}, else {@code 405};</li>
 * <li>exactly one non-empty {@code Host}, else {@code 400};</li>
 * <li>{@code Upgrade: websocket} and a {@code Connection} with the token {@code upgrade},
 * else {@code 400};</li>
 * <li>exactly one {@code Sec-WebSocket-Key}, the base64 of 16 bytes, else
 * {@code 400};</li>
 * <li>exactly one {@code Sec-WebSocket-Version: 13}, else {@code 426} naming 13;</li>
 * <li>the {@link OriginPolicy}, else {@code 403};</li>
 * <li>{@code Sec-WebSocket-Protocol}: distinct tokens, else {@code 400};</li>
 * <li>{@code Sec-WebSocket-Extensions}: the grammar of RFC 6455 9.1, else
 * {@code 400}.</li>
 * </ol>
 * A refusal is logged at DEBUG only, in one line: nothing a client sends makes the server
 * log more. Immutable and thread-safe.
 */
public final class HandshakeValidator {

	private static final Log logger = LogFactory.getLog(HandshakeValidator.class);

	private static final String SUPPORTED_VERSION = "13";

	private static final int KEY_LENGTH = 16;

	private static final HandshakeRejection INVALID_TARGET = new HandshakeRejection(400, "Invalid request target");

	private static final HandshakeRejection NOT_FOUND = new HandshakeRejection(404, "Not Found");

	private static final HandshakeRejection NOT_HTTP_1_1 = new HandshakeRejection(400,
			"The opening handshake needs HTTP/1.1");

	private static final HandshakeRejection NOT_GET = new HandshakeRejection(405, "The opening handshake must be a GET",
			Map.of(HttpHeaders.ALLOW, "GET"));

	private static final HandshakeRejection INVALID_HOST = new HandshakeRejection(400, "Invalid Host header");

	private static final HandshakeRejection INVALID_UPGRADE = new HandshakeRejection(400, "Invalid Upgrade header");

	private static final HandshakeRejection INVALID_CONNECTION = new HandshakeRejection(400,
			"Invalid Connection header");

	private static final HandshakeRejection INVALID_KEY = new HandshakeRejection(400, "Invalid Sec-WebSocket-Key");

	private static final HandshakeRejection UNSUPPORTED_VERSION = new HandshakeRejection(426,
			"Unsupported Sec-WebSocket-Version", Map.of("Sec-WebSocket-Version", SUPPORTED_VERSION));

	private static final HandshakeRejection FORBIDDEN_ORIGIN = new HandshakeRejection(403, "Origin not allowed");

	private static final HandshakeRejection INVALID_PROTOCOL = new HandshakeRejection(400,
			"Invalid Sec-WebSocket-Protocol");

	private static final HandshakeRejection INVALID_EXTENSIONS = new HandshakeRejection(400,
			"Invalid Sec-WebSocket-Extensions");

	private static final HandshakeRejection BAD_REQUEST = new HandshakeRejection(400, "Bad Request");

	private final String endpointName;

	private final String path;

	private final OriginPolicy originPolicy;

	/**
	 * Create the checks of an endpoint.
	 * @param endpointName the endpoint's name, for the log
	 * @param path the endpoint's path
	 * @param allowedOrigins the endpoint's {@code allowed-origins}
	 */
	public HandshakeValidator(String endpointName, String path, List<String> allowedOrigins) {
		this.endpointName = endpointName;
		this.path = path;
		this.originPolicy = new OriginPolicy(allowedOrigins);
	}

	/**
	 * Return whether a request is the endpoint's path by the path rule, without the other
	 * checks: the path as sent equals the endpoint's, character for character.
	 * @param path the request's path within the application as sent
	 * @return whether it is the endpoint's
	 */
	public boolean isEndpointPath(String path) {
		return this.path.equals(path);
	}

	/**
	 * Check an opening handshake.
	 * @param request the request
	 * @return {@code null} if it may proceed to the upgrade and {@code onConnect}, else
	 * the answer to send
	 */
	public @Nullable HandshakeRejection check(UpgradeRequest request) {
		HandshakeRejection rejection;
		try {
			rejection = findRejection(request);
		}
		catch (RuntimeException ex) {
			// A request the container parsed but that the checks cannot read (a URI of an
			// odd form): refused like any other malformed request.
			if (logger.isDebugEnabled()) {
				logger.debug("WebSocket endpoint '" + this.endpointName + "' could not check a handshake: " + ex);
			}
			rejection = BAD_REQUEST;
		}
		if (rejection != null && logger.isDebugEnabled()) {
			logger.debug("WebSocket endpoint '" + this.endpointName + "' refused a handshake with " + rejection.status()
					+ ": " + rejection.reason());
		}
		return rejection;
	}

	private @Nullable HandshakeRejection findRejection(UpgradeRequest request) {
		if (request.target().indexOf('#') >= 0) {
			return INVALID_TARGET;
		}
		if (!isEndpointPath(request.pathWithinApplication())) {
			return NOT_FOUND;
		}
		HttpHeaders headers = request.headers();
		if (request.protocol().equals("HTTP/1.1")) {
			HandshakeRejection rejection = checkHttp11Upgrade(request.method(), headers);
			if (rejection != null) {
				return rejection;
			}
		}
		else if (!isHttp2OrLater(request.protocol())) {
			return NOT_HTTP_1_1;
		}
		List<String> versions = headers.getOrEmpty("Sec-WebSocket-Version");
		if (versions.size() != 1 || !SUPPORTED_VERSION.equals(versions.get(0).trim())) {
			return UNSUPPORTED_VERSION;
		}
		List<String> origins = headers.getOrEmpty(HttpHeaders.ORIGIN);
		if (!origins.isEmpty() && !this.originPolicy.allows(origins, request.uri())) {
			return FORBIDDEN_ORIGIN;
		}
		if (!isValidProtocolOffer(headers.getOrEmpty("Sec-WebSocket-Protocol"))) {
			return INVALID_PROTOCOL;
		}
		if (!isValidExtensionOffer(headers.getOrEmpty("Sec-WebSocket-Extensions"))) {
			return INVALID_EXTENSIONS;
		}
		return null;
	}

	private static @Nullable HandshakeRejection checkHttp11Upgrade(String method, HttpHeaders headers) {
		if (!method.equals("GET")) {
			return NOT_GET;
		}
		List<String> hosts = headers.getOrEmpty(HttpHeaders.HOST);
		if (hosts.size() != 1 || hosts.get(0).isBlank()) {
			return INVALID_HOST;
		}
		List<String> upgrades = headers.getOrEmpty(HttpHeaders.UPGRADE);
		if (upgrades.size() != 1 || !upgrades.get(0).trim().equalsIgnoreCase("websocket")) {
			return INVALID_UPGRADE;
		}
		if (!hasUpgradeToken(headers.getOrEmpty(HttpHeaders.CONNECTION))) {
			return INVALID_CONNECTION;
		}
		List<String> keys = headers.getOrEmpty("Sec-WebSocket-Key");
		if (keys.size() != 1 || !isValidKey(keys.get(0))) {
			return INVALID_KEY;
		}
		return null;
	}

	private static boolean isHttp2OrLater(String protocol) {
		return protocol.startsWith("HTTP/2") || protocol.startsWith("HTTP/3");
	}

	private static boolean hasUpgradeToken(List<String> connection) {
		for (String value : connection) {
			for (String token : value.split(",")) {
				if (token.trim().equalsIgnoreCase("upgrade")) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean isValidKey(String key) {
		try {
			return Base64.getDecoder().decode(key.trim()).length == KEY_LENGTH;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * RFC 6455 4.1: non-empty tokens, all distinct; empty list elements are allowed (RFC
	 * 9110 5.6.1).
	 */
	private static boolean isValidProtocolOffer(List<String> values) {
		Set<String> seen = new HashSet<>();
		for (String value : values) {
			for (String element : value.split(",", -1)) {
				String protocol = element.trim();
				if (!protocol.isEmpty() && (!isToken(protocol) || !seen.add(protocol))) {
					return false;
				}
			}
		}
		return true;
	}

	/**
	 * RFC 6455 9.1: a list of {@code extension-token *( ";" extension-param )} with
	 * {@code extension-param = token [ "=" (token | quoted-string) ]}, where a quoted
	 * value must be a token once unquoted. Empty list elements are allowed.
	 */
	private static boolean isValidExtensionOffer(List<String> values) {
		for (String value : values) {
			for (String element : value.split(",", -1)) {
				if (!element.isBlank() && !isValidExtension(element)) {
					return false;
				}
			}
		}
		return true;
	}

	private static boolean isValidExtension(String extension) {
		String[] parts = extension.split(";", -1);
		if (!isToken(parts[0].trim())) {
			return false;
		}
		for (int i = 1; i < parts.length; i++) {
			String parameter = parts[i];
			int equals = parameter.indexOf('=');
			String name = ((equals < 0) ? parameter : parameter.substring(0, equals)).trim();
			if (!isToken(name)) {
				return false;
			}
			if (equals >= 0) {
				String parameterValue = parameter.substring(equals + 1).trim();
				if (parameterValue.length() >= 2 && parameterValue.startsWith("\"") && parameterValue.endsWith("\"")) {
					parameterValue = parameterValue.substring(1, parameterValue.length() - 1);
				}
				if (!isToken(parameterValue)) {
					return false;
				}
			}
		}
		return true;
	}

	/** RFC 9110 5.6.2: one or more {@code tchar}. */
	private static boolean isToken(String value) {
		if (value.isEmpty()) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
			if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
				return false;
			}
		}
		return true;
	}

}
