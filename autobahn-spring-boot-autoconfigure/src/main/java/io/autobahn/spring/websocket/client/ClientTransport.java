package io.autobahn.spring.websocket.client;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.ConnectionResponse;
import io.autobahn.spring.websocket.WebSocketConnectException;
import io.autobahn.spring.websocket.core.StackConnection;

/**
 * What connects a client: TCP, TLS and the opening handshake, then the frames of the
 * connection, to and from the engine's {@link StackConnection}, through a
 * {@link io.autobahn.spring.websocket.core.Transport} of its own. The WebSocket protocol
 * is the library's under it (Reactor Netty's, or the JDK's
 * {@code java.net.http.WebSocket}): the transport checks the server's {@code 101} (accept
 * key, subprotocol, extensions) with it. Implementations are thread-safe; one serves all
 * the connector's connects.
 */
public interface ClientTransport {

	/**
	 * Return the transport's name, as the README and
	 * {@code autobahn.websocket.client.transport} call it.
	 * @return {@code reactor-netty} or {@code jdk}
	 */
	String getName();

	/**
	 * Start connecting. Exactly one of the callbacks is called, once, on whichever thread
	 * the outcome is found; neither after {@link Connecting#cancel()}, but for an
	 * {@code upgraded} already under way.
	 * @param handshake what to connect to and with
	 * @param callbacks told the outcome
	 * @return the connect in progress, to cancel
	 */
	Connecting connect(ClientHandshake handshake, Callbacks callbacks);

	/**
	 * A connect in progress.
	 */
	interface Connecting {

		/**
		 * Give the connect up (the open handshake timeout passed, or the application is
		 * stopping): close what it opened.
		 */
		void cancel();

	}

	/**
	 * What the transport reports of a connect.
	 */
	interface Callbacks {

		/**
		 * The server's {@code 101} arrived and passed the checks: return the connection
		 * to open on the transport at once.
		 * @param response the server's answer
		 * @param server the server's address
		 * @return the connection, or {@code null} if the connect was given up meanwhile
		 * (then drop what was opened)
		 */
		@Nullable StackConnection upgraded(ConnectionResponse response, InetSocketAddress server);

		/**
		 * The connect failed before the {@code 101} passed the checks.
		 * @param failure why
		 */
		void failed(WebSocketConnectException failure);

	}

}
