package io.autobahn.spring.websocket;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * The server's answer to a client's opening handshake, as
 * {@link WebSocketClientProtocol#onConnect(ConnectionResponse)} sees it: Autobahn's
 * {@code ConnectionResponse}. A read-only snapshot, kept for the life of the connection
 * ({@link WebSocketClientProtocol#getResponse()}).
 *
 * @param peer the server, in Autobahn's format, such as {@code tcp4:127.0.0.1:8080}
 * @param headers the headers of the {@code 101} response, case-insensitive, with every
 * value
 * @param version the WebSocket protocol version (13; Autobahn gives its spec version, 18)
 * @param protocol the subprotocol the server chose, or {@code null}
 * @param extensions the names of the extensions in use, such as
 * {@code permessage-deflate}
 */
public record ConnectionResponse(String peer, HttpHeaders headers, int version, @Nullable String protocol,
		List<String> extensions) {

	/**
	 * Create a response.
	 * @param peer the server
	 * @param headers the response headers
	 * @param version the protocol version
	 * @param protocol the chosen subprotocol, or {@code null}
	 * @param extensions the extensions in use
	 */
	public ConnectionResponse {
		headers = HttpHeaders.readOnlyHttpHeaders(HttpHeaders.copyOf(headers));
		extensions = List.copyOf(extensions);
	}

}
