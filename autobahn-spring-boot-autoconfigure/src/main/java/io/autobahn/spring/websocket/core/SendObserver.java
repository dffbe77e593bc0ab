package io.autobahn.spring.websocket.core;

import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.BroadcastResult;

/**
 * Told where the send path counts what metrics want: each broadcast's outcome and each
 * connection dropped because a send passed one of its bounds. Set on the
 * {@link ConnectionRegistry} ({@link ConnectionRegistry#setSendObserver}); the default does
 * nothing. Called on the thread that broadcast or found the bound passed (a sender, a
 * transport's completion, the timer): implementations are thread-safe, quick and never
 * throw.
 */
public interface SendObserver {

	/** Observes nothing. */
	SendObserver NONE = new SendObserver() {
	};

	/**
	 * A broadcast ended.
	 * @param endpoint the endpoint whose connections it went to, or {@code null} for every
	 * endpoint's
	 * @param result how many connections it selected, took it, or did not
	 */
	default void broadcast(@Nullable String endpoint, BroadcastResult result) {
	}

	/**
	 * A connection is dropped because a send passed {@code send-buffer-size-limit},
	 * {@code send-time-limit} or the outbound budget (the WARN line says which).
	 * @param endpoint the connection's endpoint
	 * @param reason the bound, as the WARN line gives it
	 */
	default void sendOverflow(String endpoint, String reason) {
	}

}
