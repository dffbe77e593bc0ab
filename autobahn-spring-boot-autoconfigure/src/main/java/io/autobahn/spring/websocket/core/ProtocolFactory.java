package io.autobahn.spring.websocket.core;

import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * Creates the protocol instance for a new connection and disposes of it after its
 * {@code onClose}.
 */
public interface ProtocolFactory {

	/**
	 * Create a new protocol instance for the endpoint.
	 * @param endpoint the endpoint
	 * @return a new, never used instance
	 */
	WebSocketServerProtocol create(EndpointDefinition endpoint);

	/**
	 * Dispose of an instance whose connection is gone (runs its destroy callbacks).
	 * @param endpoint the endpoint
	 * @param protocol the instance
	 */
	void destroy(EndpointDefinition endpoint, WebSocketServerProtocol protocol);

}
