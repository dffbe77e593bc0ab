package io.autobahn.spring.websocket;

/**
 * The server side of a {@link WebSocketChannel}: it also knows the opening handshake and
 * its endpoint's open connections.
 */
public interface ServerWebSocketChannel extends WebSocketChannel {

	/**
	 * Return the client's opening handshake.
	 * @return the request
	 */
	ConnectionRequest getRequest();

	/**
	 * Return the open connections of this connection's endpoint.
	 * @return a live view of the endpoint's connections
	 */
	WebSocketConnections getConnections();

}
