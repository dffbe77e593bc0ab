package io.autobahn.spring.websocket.handshake;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.util.StringUtils;

import io.autobahn.spring.websocket.ConnectionRequest;

/**
 * Builds the {@link ConnectionRequest} of an opening handshake, the same on every stack:
 * a compact read-only copy of what {@code onConnect} and the connection's life may read
 * (the container recycles or drops its own request once the upgrade is done). Runs after
 * the {@link HandshakeValidator} accepted the request, so the offers it parses are
 * well-formed. Stateless, but for the one warning that {@code trust-x-forwarded-for}
 * cannot be applied where the container consumed the header.
 */
public final class ConnectionRequests {

	private static final String SEC_WEBSOCKET_VERSION = "Sec-WebSocket-Version";

	private static final String SEC_WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";

	private static final String SEC_WEBSOCKET_EXTENSIONS = "Sec-WebSocket-Extensions";

	/** The header that {@code trust-x-forwarded-for} reads. */
	static final String X_FORWARDED_FOR = "X-Forwarded-For";

	private static final Log logger = LogFactory.getLog(ConnectionRequests.class);

	private static final AtomicBoolean consumedHeaderLogged = new AtomicBoolean();

	private ConnectionRequests() {
	}

	/**
	 * Build the connection request of an upgrade request, its peer being the address the
	 * container reports.
	 * @param request the stack's view of the request
	 * @param principal the authenticated user, or {@code null}
	 * @return the connection request
	 */
	public static ConnectionRequest from(UpgradeRequest request, @Nullable Principal principal) {
		return from(request, principal, 0);
	}

	/**
	 * Build the connection request of an upgrade request.
	 * @param request the stack's view of the request
	 * @param principal the authenticated user, or {@code null}
	 * @param trustXForwardedFor how many proxies are trusted to append to
	 * {@code X-Forwarded-For} ({@code 0}: the peer is the address the container reports)
	 * @return the connection request
	 */
	public static ConnectionRequest from(UpgradeRequest request, @Nullable Principal principal,
			int trustXForwardedFor) {
		HttpHeaders headers = CompactMultiValueMap.copyOf(request.headers());
		InetSocketAddress host = headers.getHost();
		CompactMultiValueMap.Builder cookies = CompactMultiValueMap.builder(false);
		for (HttpCookie cookie : request.cookies()) {
			cookies.add(cookie.getName(), cookie.getValue());
		}
		return new ConnectionRequest(peer(request, trustXForwardedFor), headers,
				(host != null) ? host.getHostString() : "", request.rawPath(),
				CompactMultiValueMap.copyOf(request.queryParams()), version(headers.getFirst(SEC_WEBSOCKET_VERSION)),
				headers.getOrigin(), protocols(headers), extensions(headers), principal, cookies.build());
	}

	/**
	 * The peer: the address the trusted proxies name in {@code X-Forwarded-For} when they
	 * are trusted and the header is there, else the address the container reports.
	 */
	private static String peer(UpgradeRequest request, int trustXForwardedFor) {
		if (trustXForwardedFor > 0) {
			List<String> forwardedFor = request.forwardedFor();
			if (forwardedFor == null) {
				if (consumedHeaderLogged.compareAndSet(false, true)) {
					logger
						.warn("trust-x-forwarded-for is set, but the container has already taken the client's address "
								+ "from X-Forwarded-For and rewritten the header (Tomcat's RemoteIpValve, which "
								+ "server.forward-headers-strategy=native adds): the peer is the container's answer. Either "
								+ "set the proxies Tomcat trusts (server.tomcat.remoteip.internal-proxies and "
								+ "trusted-proxies) and leave trust-x-forwarded-for unset, or set "
								+ "server.forward-headers-strategy=framework");
				}
			}
			else {
				String forwarded = Peers.forwardedFor(forwardedFor, trustXForwardedFor);
				if (forwarded != null) {
					return forwarded;
				}
			}
		}
		return Peers.format(request.remoteAddress());
	}

	private static int version(@Nullable String version) {
		try {
			return (version != null) ? Integer.parseInt(version.trim()) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/**
	 * Every offered subprotocol in order, also when the client sent several header lines
	 * (Spring's {@code getSecWebSocketProtocol()} splits only a single line).
	 */
	private static List<String> protocols(HttpHeaders headers) {
		List<String> protocols = new ArrayList<>();
		for (String value : headers.getOrEmpty(SEC_WEBSOCKET_PROTOCOL)) {
			protocols.addAll(List.of(StringUtils.tokenizeToStringArray(value, ",")));
		}
		return List.copyOf(protocols);
	}

	/**
	 * Every offered extension with every parameter: a parameter without a value maps to
	 * an empty string (Spring's {@code WebSocketExtension} parser drops it), a quoted
	 * value is unquoted.
	 */
	private static List<ConnectionRequest.Extension> extensions(HttpHeaders headers) {
		List<ConnectionRequest.Extension> extensions = new ArrayList<>();
		for (String value : headers.getOrEmpty(SEC_WEBSOCKET_EXTENSIONS)) {
			for (String offer : StringUtils.tokenizeToStringArray(value, ",")) {
				String[] parts = StringUtils.tokenizeToStringArray(offer, ";");
				if (parts.length == 0) {
					// Refused before (HandshakeValidator); an offer without a name is no
					// offer.
					continue;
				}
				Map<String, String> parameters = new LinkedHashMap<>();
				for (int i = 1; i < parts.length; i++) {
					int equals = parts[i].indexOf('=');
					String name = (equals < 0) ? parts[i] : parts[i].substring(0, equals).trim();
					String parameter = (equals < 0) ? "" : parts[i].substring(equals + 1).trim();
					if (parameter.length() >= 2 && parameter.startsWith("\"") && parameter.endsWith("\"")) {
						parameter = parameter.substring(1, parameter.length() - 1);
					}
					parameters.put(name, parameter);
				}
				extensions
					.add(new ConnectionRequest.Extension(parts[0], CompactMultiValueMap.orderedCopyOf(parameters)));
			}
		}
		return List.copyOf(extensions);
	}

}
