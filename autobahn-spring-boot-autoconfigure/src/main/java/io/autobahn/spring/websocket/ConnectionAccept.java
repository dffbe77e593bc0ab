package io.autobahn.spring.websocket;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What {@link WebSocketServerProtocol#onConnect(ConnectionRequest)} returns to accept a
 * handshake with a chosen subprotocol and/or extra headers on the {@code 101} response.
 * Returning {@code null} from {@code onConnect} accepts with neither.
 * <pre class="code">
 * return ConnectionAccept.subprotocol("chat.v2").withHeader("X-Server", "demo");
 * </pre>
 * The subprotocol must be one the client offered ({@link ConnectionRequest#protocols()});
 * any other value fails the handshake with HTTP 500 and an error in the server log.
 */
public final class ConnectionAccept {

	private static final ConnectionAccept DEFAULT = new ConnectionAccept(null, Map.of());

	private final @Nullable String subprotocol;

	private final Map<String, List<String>> headers;

	private ConnectionAccept(@Nullable String subprotocol, Map<String, List<String>> headers) {
		this.subprotocol = subprotocol;
		this.headers = headers;
	}

	/**
	 * Accept with no subprotocol (unless one of the configured {@code subprotocols} matches
	 * the client's offer) and no extra headers.
	 * @return the accept
	 */
	public static ConnectionAccept accept() {
		return DEFAULT;
	}

	/**
	 * Accept with the given subprotocol.
	 * @param subprotocol a subprotocol the client offered
	 * @return the accept
	 */
	public static ConnectionAccept subprotocol(String subprotocol) {
		return new ConnectionAccept(subprotocol, Map.of());
	}

	/**
	 * Accept with extra response headers.
	 * @param headers the headers to add to the {@code 101} response
	 * @return the accept
	 */
	public static ConnectionAccept headers(Map<String, String> headers) {
		return DEFAULT.withHeaders(headers);
	}

	/**
	 * Accept with a subprotocol and extra response headers, like Autobahn's
	 * {@code (subprotocol, headers)} return value.
	 * @param subprotocol a subprotocol the client offered, or {@code null}
	 * @param headers the headers to add to the {@code 101} response
	 * @return the accept
	 */
	public static ConnectionAccept of(@Nullable String subprotocol, Map<String, String> headers) {
		return new ConnectionAccept(subprotocol, Map.of()).withHeaders(headers);
	}

	/**
	 * Return a copy that also adds the given header (a header named twice gets two lines).
	 * @param name the header name
	 * @param value the header value
	 * @return a new accept
	 */
	public ConnectionAccept withHeader(String name, String value) {
		Map<String, List<String>> copy = new LinkedHashMap<>(this.headers);
		copy.merge(name, List.of(value), (existing, added) -> {
			List<String> joined = new ArrayList<>(existing);
			joined.addAll(added);
			return List.copyOf(joined);
		});
		return new ConnectionAccept(this.subprotocol, Collections.unmodifiableMap(copy));
	}

	private ConnectionAccept withHeaders(Map<String, String> headers) {
		ConnectionAccept accept = this;
		for (Map.Entry<String, String> header : headers.entrySet()) {
			accept = accept.withHeader(header.getKey(), header.getValue());
		}
		return accept;
	}

	/**
	 * Return the chosen subprotocol.
	 * @return the subprotocol, or {@code null} for none
	 */
	public @Nullable String getSubprotocol() {
		return this.subprotocol;
	}

	/**
	 * Return the extra response headers.
	 * @return the headers, each with one or more values
	 */
	public Map<String, List<String>> getHeaders() {
		return this.headers;
	}

}
