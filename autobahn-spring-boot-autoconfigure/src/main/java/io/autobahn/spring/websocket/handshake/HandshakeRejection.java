package io.autobahn.spring.websocket.handshake;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import io.autobahn.spring.websocket.ConnectionDeny;

/**
 * The answer to an opening handshake that is refused, by the {@link HandshakeValidator}
 * or by {@code onConnect} ({@link ConnectionDeny}): an HTTP status, a short plain-text
 * reason for the body, and the headers the status calls for ({@code Allow} with a
 * {@code 405}, {@code Sec-WebSocket-Version} with a {@code 426}). Every stack writes it
 * with one method of its own response type. Immutable.
 *
 * @param status the HTTP status
 * @param reason the response body (the validator's is fixed text, never anything the
 * client sent), or {@code null} for none
 * @param headers headers to add to the response
 */
public record HandshakeRejection(int status, @Nullable String reason, Map<String, String> headers) {

	private static final MediaType TEXT_PLAIN = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

	HandshakeRejection(int status, String reason) {
		this(status, reason, Map.of());
	}

	/**
	 * Return the answer to a handshake that {@code onConnect} refused.
	 * @param deny what {@code onConnect} threw (or its deferred accept failed with)
	 * @return its status, with its reason as the body
	 */
	public static HandshakeRejection of(ConnectionDeny deny) {
		return new HandshakeRejection(deny.getCode(), deny.getReason(), Map.of());
	}

	/**
	 * Add the headers of this answer to a response's: the extra headers, and the content
	 * type when there is a body.
	 * @param responseHeaders the response's headers
	 */
	public void addHeadersTo(HttpHeaders responseHeaders) {
		this.headers.forEach(responseHeaders::set);
		if (this.reason != null) {
			responseHeaders.setContentType(TEXT_PLAIN);
		}
	}

	/**
	 * Return the body.
	 * @return the reason in UTF-8, or {@code null} for no body
	 */
	public byte @Nullable [] body() {
		return (this.reason != null) ? this.reason.getBytes(StandardCharsets.UTF_8) : null;
	}

}
