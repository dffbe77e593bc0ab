package io.autobahn.spring.websocket.handshake;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.util.StringUtils;

import io.autobahn.spring.websocket.ConnectionRequest;

/**
 * Builds the {@link ConnectionRequest} of an opening handshake, the same on every stack: a
 * compact read-only copy of what {@code onConnect} and the connection's life may read (the
 * container recycles or drops its own request once the upgrade is done). Runs after the
 * {@link HandshakeValidator} accepted the request, so the offers it parses are
 * well-formed. Stateless.
 */
public final class ConnectionRequests {

	private static final String SEC_WEBSOCKET_VERSION = "Sec-WebSocket-Version";

	private static final String SEC_WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";

	private static final String SEC_WEBSOCKET_EXTENSIONS = "Sec-WebSocket-Extensions";

	private ConnectionRequests() {
	}

	/**
	 * Build the connection request of an upgrade request.
	 * @param request the stack's view of the request
	 * @param principal the authenticated user, or {@code null}
	 * @return the connection request
	 */
	public static ConnectionRequest from(UpgradeRequest request, @Nullable Principal principal) {
		HttpHeaders headers = CompactMultiValueMap.copyOf(request.headers());
		InetSocketAddress host = headers.getHost();
		CompactMultiValueMap.Builder cookies = CompactMultiValueMap.builder(false);
		for (HttpCookie cookie : request.cookies()) {
			cookies.add(cookie.getName(), cookie.getValue());
		}
		return new ConnectionRequest(Peers.format(request.remoteAddress()), headers,
				(host != null) ? host.getHostString() : "", request.rawPath(),
				CompactMultiValueMap.copyOf(request.queryParams()), version(headers.getFirst(SEC_WEBSOCKET_VERSION)),
				headers.getOrigin(), protocols(headers), extensions(headers), principal, cookies.build());
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
	 * Every offered extension with every parameter: a parameter without a value maps to an
	 * empty string (Spring's {@code WebSocketExtension} parser drops it), a quoted value is
	 * unquoted.
	 */
	private static List<ConnectionRequest.Extension> extensions(HttpHeaders headers) {
		List<ConnectionRequest.Extension> extensions = new ArrayList<>();
		for (String value : headers.getOrEmpty(SEC_WEBSOCKET_EXTENSIONS)) {
			for (String offer : StringUtils.tokenizeToStringArray(value, ",")) {
				String[] parts = StringUtils.tokenizeToStringArray(offer, ";");
				if (parts.length == 0) {
					// Refused before (HandshakeValidator); an offer without a name is no offer.
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
				extensions.add(new ConnectionRequest.Extension(parts[0], CompactMultiValueMap.orderedCopyOf(parameters)));
			}
		}
		return List.copyOf(extensions);
	}

}
