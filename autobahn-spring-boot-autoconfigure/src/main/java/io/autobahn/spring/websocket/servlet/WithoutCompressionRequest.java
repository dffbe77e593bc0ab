package io.autobahn.spring.websocket.servlet;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.util.StringUtils;

import io.autobahn.spring.websocket.handshake.DeflateOffers;

/**
 * Hides {@code permessage-deflate} offers from the container, which negotiates extensions
 * from the request headers itself, so that it declines them: every offer, which is how
 * {@code per-message-compression: false} is applied, or only the offers the container
 * would fail the handshake on or accept without keeping to.
 */
final class WithoutCompressionRequest extends HttpServletRequestWrapper {

	private static final String EXTENSIONS = "Sec-WebSocket-Extensions";

	private static final String PERMESSAGE_DEFLATE = "permessage-deflate";

	private final Predicate<String> hidden;

	private WithoutCompressionRequest(HttpServletRequest request, Predicate<String> hidden) {
		super(request);
		this.hidden = hidden;
	}

	/**
	 * Hide every permessage-deflate offer.
	 * @param request the upgrade request
	 * @return the request the container sees
	 */
	static ServerHttpRequest wrap(ServerHttpRequest request) {
		return wrap(request, (offer) -> true);
	}

	/**
	 * Hide the permessage-deflate offers that RFC 7692 requires a server to decline,
	 * which Tomcat answers with a {@code 500}.
	 * @param request the upgrade request
	 * @return the request the container sees
	 */
	static ServerHttpRequest withoutInvalidOffers(ServerHttpRequest request) {
		return wrap(request, (offer) -> !DeflateOffers.isValid(offer));
	}

	/**
	 * Hide the invalid permessage-deflate offers and those with
	 * {@code server_max_window_bits}, which Jetty accepts without answering the parameter
	 * (RFC 7692 7.1.2.1) and then compresses with a 15-bit window whatever the client
	 * asked for. Declined, as Tomcat declines windows below 15.
	 * @param request the upgrade request
	 * @return the request the container sees
	 */
	static ServerHttpRequest withoutInvalidOrServerWindowOffers(ServerHttpRequest request) {
		return wrap(request, (offer) -> !DeflateOffers.isValid(offer) || offer.contains("server_max_window_bits"));
	}

	private static ServerHttpRequest wrap(ServerHttpRequest request, Predicate<String> hidden) {
		HttpServletRequest servletRequest = ((ServletServerHttpRequest) request).getServletRequest();
		if (offers(servletRequest).stream().noneMatch((offer) -> isHidden(offer, hidden))) {
			// Nothing to hide: the container may keep the request for the connection's
			// life.
			return request;
		}
		return new ServletServerHttpRequest(new WithoutCompressionRequest(servletRequest, hidden));
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
		return offers((HttpServletRequest) getRequest()).stream()
			.filter((offer) -> !isHidden(offer, this.hidden))
			.toList();
	}

	private static List<String> offers(HttpServletRequest request) {
		return Collections.list(request.getHeaders(EXTENSIONS))
			.stream()
			.flatMap((header) -> StringUtils.commaDelimitedListToSet(header).stream())
			.map(String::trim)
			.toList();
	}

	private static boolean isHidden(String offer, Predicate<String> hidden) {
		String lowerCase = offer.toLowerCase(Locale.ROOT);
		return lowerCase.startsWith(PERMESSAGE_DEFLATE) && hidden.test(lowerCase);
	}

}
