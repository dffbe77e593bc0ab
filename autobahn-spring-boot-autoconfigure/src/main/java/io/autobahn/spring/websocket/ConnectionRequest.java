package io.autobahn.spring.websocket;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;

/**
 * The client's opening handshake, as
 * {@link WebSocketServerProtocol#onConnect(ConnectionRequest)} sees it. Mirrors
 * Autobahn's {@code ConnectionRequest}, plus what Spring adds (the authenticated
 * principal and the cookies). A read-only snapshot, kept for the life of the connection
 * ({@link WebSocketServerProtocol#getRequest()}): its maps and lists cannot be changed.
 *
 * @param peer the client, in Autobahn's format: {@code tcp4:127.0.0.1:54321} or
 * {@code tcp6:::1:54321}
 * @param headers the HTTP headers, case-insensitive, with every value
 * @param host the {@code Host} header without the port
 * @param path the request path, not percent-decoded
 * @param params the query parameters, each with every value in order
 * @param version the WebSocket protocol version the client asked for (13)
 * @param origin the {@code Origin} header, or {@code null} when the client sent none
 * (Autobahn gives an empty string)
 * @param protocols the subprotocols the client offered, in the client's order
 * @param extensions the extensions the client offered, in the client's order
 * @param principal the authenticated user (Spring Security), or {@code null}
 * @param cookies the request cookies by name
 */
public record ConnectionRequest(String peer, HttpHeaders headers, String host, String path,
		MultiValueMap<String, String> params, int version, @Nullable String origin, List<String> protocols,
		List<Extension> extensions, @Nullable Principal principal, MultiValueMap<String, String> cookies) {

	/**
	 * An extension offered in {@code Sec-WebSocket-Extensions}, for example
	 * {@code permessage-deflate; client_max_window_bits}. A parameter without a value
	 * maps to an empty string.
	 *
	 * @param name the extension name
	 * @param parameters the parameters in order
	 */
	public record Extension(String name, Map<String, String> parameters) {
	}

}
