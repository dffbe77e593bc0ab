package io.autobahn.spring.websocket;

import java.net.URI;
import java.time.Duration;

import org.springframework.context.ApplicationEvent;

/**
 * Published before each reconnect attempt of a {@link ReconnectingConnection}: which
 * attempt it is, how long the client waits before it, and why (the connect that failed,
 * or the connection that was lost). Autobahn has no such hook; its users asked for years.
 */
public class WebSocketReconnectingEvent extends ApplicationEvent {

	private final String clientName;

	private final int attempt;

	private final Duration delay;

	private final Throwable reason;

	/**
	 * Create an event.
	 * @param source the reconnecting connection
	 * @param clientName the client's name
	 * @param attempt the attempt about to be made, from 1 since the last stable
	 * connection
	 * @param delay the wait before it
	 * @param reason why: a {@link WebSocketConnectException} for a connect that failed, a
	 * {@link Disconnected} for a connection that closed
	 */
	public WebSocketReconnectingEvent(ReconnectingConnection<?> source, String clientName, int attempt, Duration delay,
			Throwable reason) {
		super(source);
		this.clientName = clientName;
		this.attempt = attempt;
		this.delay = delay;
		this.reason = reason;
	}

	/**
	 * Return the reconnecting connection.
	 * @return the connection
	 */
	public ReconnectingConnection<?> getConnection() {
		return (ReconnectingConnection<?>) getSource();
	}

	/**
	 * Return the URI it reconnects to.
	 * @return the URI
	 */
	public URI getUri() {
		return getConnection().getUri();
	}

	/**
	 * Return the client's name.
	 * @return the name
	 */
	public String getClientName() {
		return this.clientName;
	}

	/**
	 * Return the attempt about to be made.
	 * @return the attempt, from 1 since the last connection that stayed open for the
	 * policy's {@code resetAfter}
	 */
	public int getAttempt() {
		return this.attempt;
	}

	/**
	 * Return how long the client waits before the attempt.
	 * @return the wait
	 */
	public Duration getDelay() {
		return this.delay;
	}

	/**
	 * Return why the client reconnects.
	 * @return a {@link WebSocketConnectException} for a connect that failed, a
	 * {@link Disconnected} (whose message has the close code and reason) for a connection
	 * that closed
	 */
	public Throwable getReason() {
		return this.reason;
	}

}
