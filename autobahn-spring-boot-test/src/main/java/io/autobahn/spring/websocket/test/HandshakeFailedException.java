package io.autobahn.spring.websocket.test;

/**
 * The server did not open a WebSocket connection: it answered the opening handshake with
 * another status than {@code 101}, or with a {@code 101} that breaks RFC 6455 (a wrong
 * {@code Sec-WebSocket-Accept}, a subprotocol or extension the client did not offer). The
 * response is kept, so that a test of a refused handshake can assert on its status,
 * headers and body.
 */
public class HandshakeFailedException extends RuntimeException {

	private final RawWebSocket.HandshakeResponse response;

	/**
	 * Create a new instance.
	 * @param message what failed
	 * @param response the server's answer
	 */
	public HandshakeFailedException(String message, RawWebSocket.HandshakeResponse response) {
		super(message);
		this.response = response;
	}

	/**
	 * Return the server's answer to the opening handshake.
	 * @return the response
	 */
	public RawWebSocket.HandshakeResponse getResponse() {
		return this.response;
	}

	/**
	 * Return the HTTP status of the server's answer.
	 * @return the status
	 */
	public int getStatus() {
		return this.response.status();
	}

}
