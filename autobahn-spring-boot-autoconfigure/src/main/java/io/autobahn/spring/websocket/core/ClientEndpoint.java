package io.autobahn.spring.websocket.core;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.ConnectionResponse;
import io.autobahn.spring.websocket.WebSocketClientProtocol;
import io.autobahn.spring.websocket.internal.ChannelAttachment;

/**
 * The client front of the engine, as {@link ServerEndpoint} is the server's: it turns a
 * completed client handshake into a connection on the same engine, with the options of
 * one connect (one per connect: each has its own options). The client transport opens the
 * {@link StackConnection} it returns on its {@link Transport} at once, as a server
 * adapter opens an accepted connection after its {@code 101}; {@code onConnect} then runs
 * just before {@code onOpen}, under the same hook lock. Thread-safe.
 */
public final class ClientEndpoint {

	private final ConnectionSide side;

	/**
	 * Create the front of one connect.
	 * @param name the client's name, under which the connection is registered
	 * @param settings the connection's options
	 * @param registry where it is registered while open
	 * @param timer runs auto-pings and close timeouts
	 * @param budgets the budgets its buffered bytes count against
	 * @param observer what the connection's life and traffic are reported to, for
	 * metrics: the client's, from {@link EndpointObservers} with the client side
	 * @param disposer disposes of the protocol instance after its {@code onClose}
	 */
	public ClientEndpoint(String name, EndpointSettings settings, ConnectionRegistry registry,
			ScheduledExecutorService timer, EndpointBudgets budgets, EndpointObserver observer,
			Consumer<WebSocketClientProtocol> disposer) {
		this.side = new ConnectionSide(name, false, settings, budgets, timer, registry, registry.endpoint(name),
				observer, (protocol) -> disposer.accept((WebSocketClientProtocol) protocol));
	}

	/**
	 * The server's {@code 101} arrived and the transport checked it: make the connection
	 * of the protocol instance, to open on the transport at once.
	 * @param protocol the instance, never used before
	 * @param request the opening handshake the client sent (its peer is the server)
	 * @param response the server's answer
	 * @param listener told when {@code onOpen} returned and when the connection is gone
	 * @return the connection, for the transport to {@link StackConnection#open open}
	 */
	public StackConnection connection(WebSocketClientProtocol protocol, ConnectionRequest request,
			ConnectionResponse response, Listener listener) {
		ProtocolConnection connection = new ProtocolConnection(this.side, protocol, request, response.peer(),
				new ConnectionListener() {

					@Override
					public void opening() {
						protocol.onConnect(response);
					}

					@Override
					public void opened() {
						listener.opened();
					}

					@Override
					public void closed(HookInvoker.CloseEvent close, boolean opened, boolean closedByApplication) {
						listener.closed(opened, close.wasClean(), close.code(), close.reason(), closedByApplication);
					}

				});
		connection.channel().responded(response);
		ChannelAttachment.attach(protocol, connection.channel());
		return connection;
	}

	/**
	 * Return the client's name.
	 * @return the name
	 */
	public String getName() {
		return this.side.name();
	}

	/**
	 * What the client front learns of a connection's life.
	 */
	public interface Listener {

		/**
		 * {@code onConnect} and {@code onOpen} returned, on their thread, outside the
		 * hook lock.
		 */
		void opened();

		/**
		 * The connection is gone: its {@code onClose} (if it opened) has run, and its
		 * protocol instance is disposed of.
		 * @param opened whether {@code onOpen} returned without an exception
		 * @param wasClean whether the closing handshake completed
		 * @param code the close code as {@code onClose} saw it
		 * @param reason the close reason as {@code onClose} saw it
		 * @param closedByApplication whether the application closed or dropped it, or is
		 * shutting down
		 */
		void closed(boolean opened, boolean wasClean, @Nullable Integer code, @Nullable String reason,
				boolean closedByApplication);

	}

}
