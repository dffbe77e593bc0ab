package io.autobahn.spring.websocket.servlet;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.util.StringUtils;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.handshake.CompactMultiValueMap;
import io.autobahn.spring.websocket.handshake.Peers;

/**
 * Builds a {@link ConnectionRequest} from a servlet upgrade request.
 */
final class ServletConnectionRequests {

	private ServletConnectionRequests() {
	}

	static ConnectionRequest from(ServerHttpRequest request, @Nullable Principal principal) {
		// A copy: the request's own headers read from the servlet request, which the
		// container recycles after the upgrade, while the ConnectionRequest lives on.
		HttpHeaders headers = CompactMultiValueMap.copyOf(request.getHeaders());
		HttpServletRequest servletRequest = ((ServletServerHttpRequest) request).getServletRequest();
		InetSocketAddress host = headers.getHost();
		return new ConnectionRequest(Peers.format(request.getRemoteAddress()), headers,
				(host != null) ? host.getHostString() : "", servletRequest.getRequestURI(),
				queryParams(servletRequest.getQueryString()),
				version(headers.getFirst(WebSocketHttpHeaders.SEC_WEBSOCKET_VERSION)), headers.getOrigin(),
				protocols(headers), extensions(headers), principal, cookies(servletRequest.getCookies()));
	}

	private static MultiValueMap<String, String> queryParams(@Nullable String query) {
		CompactMultiValueMap.Builder params = CompactMultiValueMap.builder(false);
		if (query != null) {
			UriComponentsBuilder.newInstance().query(query).build().getQueryParams().forEach((name, values) -> {
				for (String value : values) {
					params.add(decode(name), (value != null) ? decode(value) : "");
				}
			});
		}
		return params.build();
	}

	private static String decode(String value) {
		return UriUtils.decode(value.replace('+', ' '), StandardCharsets.UTF_8);
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
		for (String value : headers.getOrEmpty(WebSocketHttpHeaders.SEC_WEBSOCKET_PROTOCOL)) {
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
		for (String value : headers.getOrEmpty(WebSocketHttpHeaders.SEC_WEBSOCKET_EXTENSIONS)) {
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

	private static MultiValueMap<String, String> cookies(Cookie @Nullable [] cookies) {
		CompactMultiValueMap.Builder result = CompactMultiValueMap.builder(false);
		if (cookies != null) {
			for (Cookie cookie : cookies) {
				result.add(cookie.getName(), cookie.getValue());
			}
		}
		return result.build();
	}

}
