package io.autobahn.spring.websocket;

/**
 * The server side of a {@link WebSocketChannel}: it also knows the opening handshake.
 */
public interface ServerWebSocketChannel extends WebSocketChannel {

	/**
	 * Return the client's opening handshake.
	 * @return the request
	 */
	ConnectionRequest getRequest();

}
