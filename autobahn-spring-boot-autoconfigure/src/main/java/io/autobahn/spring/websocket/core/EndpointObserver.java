package io.autobahn.spring.websocket.core;

import org.jspecify.annotations.Nullable;

/**
 * What the engine tells about one endpoint's handshakes and connections, for metrics: the
 * one hook between the engine and a metrics library, which the engine does not depend on.
 * Every method has a default that does nothing; {@link #NONE} does nothing at all, and is
 * what an endpoint has without metrics. Obtained once per endpoint and side from
 * {@link EndpointObservers}, and kept for the application's life.
 * <p>
 * Called on the thread where the event happens (a container's worker, an event loop, the
 * timer), several of them once per message: an implementation must be thread-safe and
 * cheap (no lookup by name per call, no lock, no I/O), must not block and must not throw.
 */
public interface EndpointObserver {

	/** The observer that observes nothing. */
	EndpointObserver NONE = new EndpointObserver() {
	};

	/**
	 * An opening handshake was refused with an HTTP status instead of {@code 101}.
	 * @param status the HTTP status
	 * @param reason why
	 */
	default void handshakeRefused(int status, Refusal reason) {
	}

	/**
	 * A connection opened, just before {@code onOpen}.
	 */
	default void connectionOpened() {
	}

	/**
	 * A connection that had opened closed, as {@code onClose} reports it.
	 * @param code the close code ({@code 1006} when it was not closed cleanly), or
	 * {@code null} for a close frame without a code
	 */
	default void connectionClosed(@Nullable Integer code) {
	}

	/**
	 * A whole message arrived, just before {@code onMessage}.
	 * @param isBinary whether it is binary
	 * @param size its payload size in bytes (after decompression)
	 */
	default void messageReceived(boolean isBinary, int size) {
	}

	/**
	 * A message was handed to the connection's send path (written, or queued to be).
	 * @param isBinary whether it is binary
	 * @param size its payload size in bytes (before compression)
	 */
	default void messageSent(boolean isBinary, int size) {
	}

	/**
	 * Return whether {@link #messageHandled(long)} wants to be told how long each
	 * {@code onMessage} took; asked once, when the endpoint is created, so that an
	 * observer that does not time messages costs no clock reads.
	 * @return whether to time {@code onMessage}
	 */
	default boolean timesMessageHandling() {
		return false;
	}

	/**
	 * An {@code onMessage} returned (or threw), when {@link #timesMessageHandling()}.
	 * @param nanos how long it ran
	 */
	default void messageHandled(long nanos) {
	}

	/**
	 * A budget of buffered bytes (the endpoint's or the application's) refused a message,
	 * and its connection was closed: with 1013 for an incoming one, dropped for an
	 * outgoing one.
	 * @param incoming whether the message was incoming
	 */
	default void messageRefused(boolean incoming) {
	}

	/**
	 * A connection was dropped because its peer did not read fast enough
	 * ({@code send-buffer-size-limit} or {@code send-time-limit}).
	 */
	default void sendOverflow() {
	}

	/**
	 * A connection was dropped because an automatic ping went unanswered.
	 */
	default void autoPingTimeout() {
	}

	/**
	 * The pong that answers an automatic ping arrived.
	 * @param roundTripNanos the time from the ping to its pong
	 */
	default void autoPong(long roundTripNanos) {
	}

	/**
	 * A broadcast to the endpoint's connections completed.
	 * @param delivered to how many connections the message was handed over
	 * @param failed how many connections could not take it (closed meanwhile, or dropped
	 * by their send bounds)
	 */
	default void broadcast(int delivered, int failed) {
	}

	/**
	 * Why an opening handshake was refused. Each has a short name for a metric's tag.
	 */
	enum Refusal {

		/**
		 * The request is not a valid opening handshake for the endpoint (400, 404, 405,
		 * 426).
		 */
		INVALID("invalid"),

		/** Its {@code Origin} is not allowed (403). */
		ORIGIN("origin"),

		/**
		 * The endpoint's or the application's {@code max-connections} is reached (503).
		 */
		MAX_CONNECTIONS("max-connections"),

		/** {@code onConnect} refused it with a {@code ConnectionDeny}. */
		DENIED("denied"),

		/**
		 * {@code onConnect} failed, or accepted with a subprotocol the client did not
		 * offer (500).
		 */
		ERROR("error"),

		/**
		 * {@code onConnect}'s deferred accept did not complete within
		 * {@code open-handshake-timeout} (503).
		 */
		TIMEOUT("timeout");

		private final String tag;

		Refusal(String tag) {
			this.tag = tag;
		}

		/**
		 * Return the short name.
		 * @return the name, such as {@code max-connections}
		 */
		public String tag() {
			return this.tag;
		}

	}

}
