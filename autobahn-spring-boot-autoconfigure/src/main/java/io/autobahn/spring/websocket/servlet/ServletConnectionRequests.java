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
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.core.Peers;

/**
 * Builds a {@link ConnectionRequest} from a servlet upgrade request.
 */
final class ServletConnectionRequests {

	private ServletConnectionRequests() {
	}

	static ConnectionRequest from(ServerHttpRequest request, @Nullable Principal principal) {
		HttpHeaders headers = HttpHeaders.readOnlyHttpHeaders(request.getHeaders());
		WebSocketHttpHeaders wsHeaders = new WebSocketHttpHeaders(headers);
		HttpServletRequest servletRequest = ((ServletServerHttpRequest) request).getServletRequest();
		InetSocketAddress host = headers.getHost();
		return new ConnectionRequest(Peers.format(request.getRemoteAddress()), headers,
				(host != null) ? host.getHostString() : "", servletRequest.getRequestURI(),
				queryParams(servletRequest.getQueryString()), version(wsHeaders.getSecWebSocketVersion()),
				headers.getOrigin(), List.copyOf(wsHeaders.getSecWebSocketProtocol()),
				extensions(wsHeaders.getSecWebSocketExtensions()), principal, cookies(servletRequest.getCookies()));
	}

	private static MultiValueMap<String, String> queryParams(@Nullable String query) {
		MultiValueMap<String, String> params = new LinkedMultiValueMap<>();
		if (query != null) {
			UriComponentsBuilder.newInstance().query(query).build().getQueryParams().forEach((name, values) -> {
				for (String value : values) {
					params.add(decode(name), (value != null) ? decode(value) : "");
				}
			});
		}
		return params;
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

	private static List<ConnectionRequest.Extension> extensions(List<WebSocketExtension> offered) {
		List<ConnectionRequest.Extension> extensions = new ArrayList<>(offered.size());
		for (WebSocketExtension extension : offered) {
			Map<String, String> parameters = new LinkedHashMap<>(extension.getParameters());
			extensions.add(new ConnectionRequest.Extension(extension.getName(), parameters));
		}
		return List.copyOf(extensions);
	}

	private static MultiValueMap<String, String> cookies(Cookie @Nullable [] cookies) {
		MultiValueMap<String, String> result = new LinkedMultiValueMap<>();
		if (cookies != null) {
			for (Cookie cookie : cookies) {
				result.add(cookie.getName(), cookie.getValue());
			}
		}
		return result;
	}

}
