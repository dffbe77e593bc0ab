package io.autobahn.spring.websocket;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * A client could not connect: what a {@link WebSocketConnector#connect connect}'s future
 * fails with. {@link #getReason()} says what went wrong, in a way a program can act on (a
 * refused handshake may be worth no retry, a refused TCP connection is); the message says
 * it for a person, with the URI. For a refused handshake the server's status, headers and
 * (where the transport reads it) body are kept.
 */
public class WebSocketConnectException extends RuntimeException {

	private final URI uri;

	private final Reason reason;

	private final int status;

	private final HttpHeaders responseHeaders;

	private final @Nullable String responseBody;

	/**
	 * Create an exception for a failure without an HTTP response.
	 * @param uri the URI connected to
	 * @param reason what went wrong
	 * @param message what went wrong, for a person
	 * @param cause the underlying failure, or {@code null}
	 */
	public WebSocketConnectException(URI uri, Reason reason, String message, @Nullable Throwable cause) {
		this(uri, reason, message, cause, 0, new HttpHeaders(), null);
	}

	/**
	 * Create an exception.
	 * @param uri the URI connected to
	 * @param reason what went wrong
	 * @param message what went wrong, for a person
	 * @param cause the underlying failure, or {@code null}
	 * @param status the HTTP status the server answered with, or {@code 0}
	 * @param responseHeaders the headers of that answer
	 * @param responseBody its body as text, or {@code null} where there was none or the
	 * transport does not read it
	 */
	public WebSocketConnectException(URI uri, Reason reason, String message, @Nullable Throwable cause, int status,
			HttpHeaders responseHeaders, @Nullable String responseBody) {
		super("Could not connect to " + uri + ": " + message, cause);
		this.uri = uri;
		this.reason = reason;
		this.status = status;
		this.responseHeaders = HttpHeaders.readOnlyHttpHeaders(HttpHeaders.copyOf(responseHeaders));
		this.responseBody = responseBody;
	}

	/**
	 * Return the URI the client tried to connect to.
	 * @return the URI
	 */
	public URI getUri() {
		return this.uri;
	}

	/**
	 * Return what went wrong.
	 * @return the reason
	 */
	public Reason getReason() {
		return this.reason;
	}

	/**
	 * Return the HTTP status of the server's answer, for
	 * {@link Reason#HANDSHAKE_REFUSED}.
	 * @return the status, or {@code 0} without an answer
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * Return the headers of the server's answer.
	 * @return the headers, empty without an answer
	 */
	public HttpHeaders getResponseHeaders() {
		return this.responseHeaders;
	}

	/**
	 * Return the body of the server's answer, as text.
	 * @return the body, or {@code null} where there was none or the transport does not
	 * read it (the JDK's client)
	 */
	public @Nullable String getResponseBody() {
		return this.responseBody;
	}

	/**
	 * Why a connect failed.
	 */
	public enum Reason {

		/** The host name could not be resolved. */
		UNKNOWN_HOST,

		/**
		 * The TCP connection could not be made (refused, unreachable), or it closed
		 * before the opening handshake completed.
		 */
		CONNECTION_FAILED,

		/**
		 * The TLS handshake failed, such as for a certificate the client does not trust
		 * or one issued for another host name.
		 */
		TLS,

		/**
		 * The server answered the opening handshake with another status than {@code 101}.
		 */
		HANDSHAKE_REFUSED,

		/**
		 * The server answered {@code 101}, but not as RFC 6455 requires (a wrong accept
		 * key, a subprotocol or extension the client did not offer).
		 */
		INVALID_RESPONSE,

		/** The connection did not open within the open handshake timeout. */
		TIMEOUT,

		/**
		 * The client gave up: {@code onConnecting} threw, the connection failed before
		 * {@code onOpen} returned (an exception in {@code onConnect} or {@code onOpen}),
		 * or the application is shutting down.
		 */
		ABORTED

	}

}
