package io.autobahn.spring.websocket.servlet;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.util.StringUtils;

/**
 * Hides a {@code permessage-deflate} offer from the container, which negotiates extensions
 * from the request headers itself: how {@code per-message-compression: false} declines it.
 */
final class WithoutCompressionRequest extends HttpServletRequestWrapper {

	private static final String EXTENSIONS = "Sec-WebSocket-Extensions";

	private WithoutCompressionRequest(HttpServletRequest request) {
		super(request);
	}

	static ServerHttpRequest wrap(ServerHttpRequest request) {
		HttpServletRequest servletRequest = ((ServletServerHttpRequest) request).getServletRequest();
		return new ServletServerHttpRequest(new WithoutCompressionRequest(servletRequest));
	}

	@Override
	public @Nullable String getHeader(String name) {
		if (!EXTENSIONS.equalsIgnoreCase(name)) {
			return super.getHeader(name);
		}
		List<String> offers = offers();
		return offers.isEmpty() ? null : String.join(", ", offers);
	}

	@Override
	public Enumeration<String> getHeaders(String name) {
		return EXTENSIONS.equalsIgnoreCase(name) ? Collections.enumeration(offers()) : super.getHeaders(name);
	}

	private List<String> offers() {
		return Collections.list(super.getHeaders(EXTENSIONS))
			.stream()
			.flatMap((header) -> StringUtils.commaDelimitedListToSet(header).stream())
			.map(String::trim)
			.filter((offer) -> !offer.toLowerCase().startsWith("permessage-deflate"))
			.toList();
	}

}
