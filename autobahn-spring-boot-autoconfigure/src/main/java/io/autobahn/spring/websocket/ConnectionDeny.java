package io.autobahn.spring.websocket;

import org.jspecify.annotations.Nullable;

/**
 * Thrown from {@link WebSocketServerProtocol#onConnect(ConnectionRequest)} to refuse a
 * WebSocket handshake. The client receives the HTTP status {@link #getCode() code} with
 * the {@link #getReason() reason} as a plain-text body; no connection is opened and
 * neither {@code onOpen} nor {@code onClose} is called. <pre class="code">
 * throw new ConnectionDeny(ConnectionDeny.FORBIDDEN, "no token");
 * </pre>
 */
public class ConnectionDeny extends RuntimeException {

	/** HTTP 400 Bad Request. */
	public static final int BAD_REQUEST = 400;

	/** HTTP 403 Forbidden. */
	public static final int FORBIDDEN = 403;

	/** HTTP 404 Not Found. */
	public static final int NOT_FOUND = 404;

	/** HTTP 406 Not Acceptable. */
	public static final int NOT_ACCEPTABLE = 406;

	/** HTTP 408 Request Timeout. */
	public static final int REQUEST_TIMEOUT = 408;

	/** HTTP 500 Internal Server Error. */
	public static final int INTERNAL_SERVER_ERROR = 500;

	/** HTTP 501 Not Implemented. */
	public static final int NOT_IMPLEMENTED = 501;

	/** HTTP 503 Service Unavailable. */
	public static final int SERVICE_UNAVAILABLE = 503;

	private final int code;

	private final @Nullable String reason;

	/**
	 * Refuse the handshake with an HTTP status and no reason.
	 * @param code the HTTP status, 400 to 599
	 */
	public ConnectionDeny(int code) {
		this(code, null);
	}

	/**
	 * Refuse the handshake with an HTTP status and a reason.
	 * @param code the HTTP status, 400 to 599
	 * @param reason the reason sent to the client, or {@code null}
	 */
	public ConnectionDeny(int code, @Nullable String reason) {
		super("Connection denied: " + code + ((reason != null) ? " " + reason : ""), null, false, false);
		if (code < 400 || code > 599) {
			throw new IllegalArgumentException(
					"ConnectionDeny code must be an HTTP error status (400-599), got " + code);
		}
		this.code = code;
		this.reason = reason;
	}

	/**
	 * Return the HTTP status the client receives.
	 * @return the status code
	 */
	public int getCode() {
		return this.code;
	}

	/**
	 * Return the reason the client receives.
	 * @return the reason, or {@code null}
	 */
	public @Nullable String getReason() {
		return this.reason;
	}

}
