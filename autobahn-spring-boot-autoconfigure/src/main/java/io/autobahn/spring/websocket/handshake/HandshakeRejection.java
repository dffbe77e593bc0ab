package io.autobahn.spring.websocket.handshake;

import java.util.Map;

/**
 * The answer to an opening handshake that the {@link HandshakeValidator} refused: an HTTP
 * status, a short plain-text reason for the body (fixed text, never anything the client
 * sent), and the headers the status calls for ({@code Allow} with a {@code 405},
 * {@code Sec-WebSocket-Version} with a {@code 426}).
 *
 * @param status the HTTP status
 * @param reason the response body
 * @param headers headers to add to the response
 */
public record HandshakeRejection(int status, String reason, Map<String, String> headers) {

	HandshakeRejection(int status, String reason) {
		this(status, reason, Map.of());
	}

}
