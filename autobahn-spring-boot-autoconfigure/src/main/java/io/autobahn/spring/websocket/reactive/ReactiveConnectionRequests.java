package io.autobahn.spring.websocket.reactive;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.StringUtils;

import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.handshake.CompactMultiValueMap;
import io.autobahn.spring.websocket.handshake.Peers;

/**
 * Builds a {@link ConnectionRequest} from a WebFlux upgrade request.
 */
final class ReactiveConnectionRequests {

	private ReactiveConnectionRequests() {
	}

	static ConnectionRequest from(ServerHttpRequest request, @Nullable Principal principal) {
		HttpHeaders headers = HttpHeaders.readOnlyHttpHeaders(request.getHeaders());
		InetSocketAddress host = headers.getHost();
		CompactMultiValueMap.Builder cookies = CompactMultiValueMap.builder(false);
		for (List<HttpCookie> values : request.getCookies().values()) {
			for (HttpCookie cookie : values) {
				cookies.add(cookie.getName(), cookie.getValue());
			}
		}
		String version = headers.getFirst("Sec-WebSocket-Version");
		return new ConnectionRequest(Peers.format(request.getRemoteAddress()), headers,
				(host != null) ? host.getHostString() : "", request.getURI().getRawPath(),
				CompactMultiValueMap.copyOf(request.getQueryParams()), parseVersion(version),
				headers.getOrigin(), tokens(headers.get("Sec-WebSocket-Protocol")),
				extensions(headers.get("Sec-WebSocket-Extensions")), principal, cookies.build());
	}

	private static int parseVersion(@Nullable String version) {
		try {
			return (version != null) ? Integer.parseInt(version.trim()) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static List<String> tokens(@Nullable List<String> headerValues) {
		List<String> tokens = new ArrayList<>();
		if (headerValues != null) {
			for (String value : headerValues) {
				for (String token : StringUtils.commaDelimitedListToStringArray(value)) {
					if (!token.isBlank()) {
						tokens.add(token.trim());
					}
				}
			}
		}
		return List.copyOf(tokens);
	}

	private static List<ConnectionRequest.Extension> extensions(@Nullable List<String> headerValues) {
		List<ConnectionRequest.Extension> extensions = new ArrayList<>();
		for (String offer : tokens(headerValues)) {
			String[] parts = offer.split(";");
			if (parts.length == 0 || parts[0].isBlank()) {
				// Refused before (HandshakeValidator); an offer without a name is no offer.
				continue;
			}
			Map<String, String> parameters = new LinkedHashMap<>();
			for (int i = 1; i < parts.length; i++) {
				String parameter = parts[i].trim();
				int equals = parameter.indexOf('=');
				if (equals < 0) {
					parameters.put(parameter, "");
				}
				else {
					parameters.put(parameter.substring(0, equals).trim(),
							StringUtils.trimTrailingCharacter(StringUtils.trimLeadingCharacter(
									parameter.substring(equals + 1).trim(), '"'), '"'));
				}
			}
			extensions.add(
					new ConnectionRequest.Extension(parts[0].trim(), CompactMultiValueMap.orderedCopyOf(parameters)));
		}
		return List.copyOf(extensions);
	}

}
