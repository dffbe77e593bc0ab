package io.autobahn.spring.websocket;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Connects {@link WebSocketClientProtocol} instances to WebSocket servers: Autobahn's
 * client factory and {@code connectWS}, as a bean the starter configures (replace it with
 * a bean of your own). Each connect runs {@code onConnecting}, connects (TCP, TLS for
 * {@code wss}, the opening handshake), then runs {@code onConnect} and {@code onOpen} on
 * the new instance; its future completes with the instance once {@code onOpen} has
 * returned, or fails with a {@link WebSocketConnectException} that says why. The
 * connection then lives as a server connection does, on the same engine: the same hooks,
 * channel methods, limits and timeouts.
 * <p>
 * A protocol class is instantiated through the application context for every connection
 * (see {@link WebSocketClient @WebSocketClient}); a supplier is called instead where one
 * is given. Thread-safe.
 * <p>
 * Do not wait for a connect's future on a Reactor Netty event loop (such as in a hook of
 * another connection): the connect may need that loop to complete.
 */
public interface WebSocketConnector {

	/**
	 * Return the options from {@code autobahn.websocket.client.*}, the start of a
	 * connect's own ({@link WebSocketClientOptions#toBuilder()}).
	 * @return the default options
	 */
	WebSocketClientOptions getDefaultOptions();

	/**
	 * Return the reconnect policy from {@code autobahn.websocket.client.reconnect.*}.
	 * @return the default policy
	 */
	ReconnectPolicy getDefaultReconnectPolicy();

	/**
	 * Connect a new instance of a protocol class, with the default options.
	 * @param <P> the protocol type
	 * @param uri a {@code ws} or {@code wss} URI
	 * @param protocolClass the protocol class
	 * @return a future of the instance, completed after its {@code onOpen}
	 */
	default <P extends WebSocketClientProtocol> CompletableFuture<P> connect(URI uri, Class<P> protocolClass) {
		return connect(uri, getDefaultOptions(), protocolClass);
	}

	/**
	 * Connect a new instance of a protocol class.
	 * @param <P> the protocol type
	 * @param uri a {@code ws} or {@code wss} URI
	 * @param options the options
	 * @param protocolClass the protocol class, instantiated through the application
	 * context
	 * @return a future of the instance, completed after its {@code onOpen}, or failed
	 * with a {@link WebSocketConnectException}
	 * @throws IllegalArgumentException for a URI that is not {@code ws} or {@code wss}
	 */
	<P extends WebSocketClientProtocol> CompletableFuture<P> connect(URI uri, WebSocketClientOptions options,
			Class<P> protocolClass);

	/**
	 * Connect an instance the given supplier makes.
	 * @param <P> the protocol type
	 * @param uri a {@code ws} or {@code wss} URI
	 * @param options the options
	 * @param protocolFactory makes a new, never used instance
	 * @return a future of the instance, completed after its {@code onOpen}, or failed
	 * with a {@link WebSocketConnectException}
	 * @throws IllegalArgumentException for a URI that is not {@code ws} or {@code wss}
	 */
	<P extends WebSocketClientProtocol> CompletableFuture<P> connect(URI uri, WebSocketClientOptions options,
			Supplier<? extends P> protocolFactory);

	/**
	 * Connect, and reconnect as the default policy says, with the default options.
	 * @param <P> the protocol type
	 * @param uri a {@code ws} or {@code wss} URI
	 * @param protocolClass the protocol class, instantiated for every connection
	 * @return the reconnecting connection, connecting already
	 */
	default <P extends WebSocketClientProtocol> ReconnectingConnection<P> connectWithReconnect(URI uri,
			Class<P> protocolClass) {
		return connectWithReconnect(uri, getDefaultOptions(), getDefaultReconnectPolicy(), protocolClass);
	}

	/**
	 * Connect, and reconnect as the policy says.
	 * @param <P> the protocol type
	 * @param uri a {@code ws} or {@code wss} URI
	 * @param options the options of every connect
	 * @param policy when to reconnect
	 * @param protocolClass the protocol class, instantiated for every connection
	 * @return the reconnecting connection, connecting already
	 */
	<P extends WebSocketClientProtocol> ReconnectingConnection<P> connectWithReconnect(URI uri,
			WebSocketClientOptions options, ReconnectPolicy policy, Class<P> protocolClass);

	/**
	 * Connect, and reconnect as the policy says.
	 * @param <P> the protocol type
	 * @param uri a {@code ws} or {@code wss} URI
	 * @param options the options of every connect
	 * @param policy when to reconnect
	 * @param protocolFactory makes a new, never used instance for every connection
	 * @return the reconnecting connection, connecting already
	 */
	<P extends WebSocketClientProtocol> ReconnectingConnection<P> connectWithReconnect(URI uri,
			WebSocketClientOptions options, ReconnectPolicy policy, Supplier<? extends P> protocolFactory);

}
