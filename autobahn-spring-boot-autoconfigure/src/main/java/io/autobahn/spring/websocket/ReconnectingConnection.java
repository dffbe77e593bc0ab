package io.autobahn.spring.websocket;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * A client connection that comes back: made by
 * {@link WebSocketConnector#connectWithReconnect}, it connects, and whenever the
 * connection fails or is lost it connects again with a new protocol instance, as its
 * {@link ReconnectPolicy} says, until the policy gives up, a close the policy treats as
 * final arrives, the application closes the connection itself, {@link #stop()} is called
 * or the application shuts down. Each attempt is announced with a
 * {@link WebSocketReconnectingEvent}.
 * <p>
 * Thread-safe.
 *
 * @param <P> the protocol type
 */
public interface ReconnectingConnection<P extends WebSocketClientProtocol> {

	/**
	 * Return the URI it connects to.
	 * @return the URI
	 */
	URI getUri();

	/**
	 * Return the protocol instance of the open connection.
	 * @return the instance, or {@code null} while none is open
	 */
	@Nullable P getProtocol();

	/**
	 * Return the open connection's protocol instance, or the next one to open.
	 * @return a future completed after that instance's {@code onOpen}; it fails with a
	 * {@link WebSocketConnectException} (the last failure) if reconnecting stops first
	 */
	CompletableFuture<P> whenOpen();

	/**
	 * Return how many connections have opened so far.
	 * @return the count
	 */
	int getConnectionCount();

	/**
	 * Return whether reconnecting has stopped for good.
	 * @return whether it stopped
	 */
	boolean isStopped();

	/**
	 * Return a future of the end of reconnecting.
	 * @return a future completed once it stopped: normally for {@link #stop()}, the
	 * application's shutdown, a final close or a close the application made;
	 * exceptionally, with the last failure, when the policy gave up
	 */
	CompletableFuture<Void> whenStopped();

	/**
	 * Stop reconnecting, and close the open connection with 1000, if any.
	 */
	void stop();

}
