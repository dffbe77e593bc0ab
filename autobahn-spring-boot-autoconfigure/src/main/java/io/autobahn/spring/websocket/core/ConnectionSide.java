package io.autobahn.spring.websocket.core;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import io.autobahn.spring.websocket.WebSocketConnections;
import io.autobahn.spring.websocket.WebSocketProtocol;

/**
 * What a {@link ProtocolConnection} needs of the side it belongs to, the same for both: a
 * server endpoint ({@link ServerEndpoint}, one for all its connections) or a client's
 * connection ({@link ClientEndpoint}, one per connection, as each connect has its own
 * options). Immutable.
 *
 * @param name the endpoint's or the client's name, under which the connection is
 * registered
 * @param server whether the connection was accepted by an endpoint rather than opened by
 * a client
 * @param settings the options the connection runs with
 * @param budgets the budgets its buffered bytes (and, on the server, its slot) count
 * against
 * @param timer runs auto-pings and close timeouts
 * @param registry where it is registered while open
 * @param connections the open connections of its endpoint or client name
 * @param observer what its connection's life and traffic are reported to, for metrics
 * @param disposer disposes of the protocol instance once the connection is gone
 */
record ConnectionSide(String name, boolean server, EndpointSettings settings, EndpointBudgets budgets,
		ScheduledExecutorService timer, ConnectionRegistry registry, WebSocketConnections connections,
		EndpointObserver observer, Consumer<WebSocketProtocol> disposer) {

	/**
	 * Return what the side is called in log lines: {@code endpoint 'echo'} or
	 * {@code client 'feed'}.
	 * @return the description
	 */
	String describe() {
		return (this.server ? "endpoint '" : "client '") + this.name + "'";
	}

}
