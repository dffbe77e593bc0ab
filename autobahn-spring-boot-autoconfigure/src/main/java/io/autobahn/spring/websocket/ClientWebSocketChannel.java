package io.autobahn.spring.websocket;

/**
 * The client side of a {@link WebSocketChannel}: it also knows the server's answer to the
 * opening handshake.
 */
public interface ClientWebSocketChannel extends WebSocketChannel {

	/**
	 * Return the server's answer to the opening handshake.
	 * @return the response
	 * @throws IllegalStateException on a server connection
	 */
	ConnectionResponse getResponse();

}
