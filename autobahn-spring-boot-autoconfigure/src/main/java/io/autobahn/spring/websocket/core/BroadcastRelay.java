package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.ConnectionSelector;

/**
 * Where the {@link ConnectionRegistry} hands a broadcast that may travel (one whose
 * filter is a {@link ConnectionSelector}, or none) after it delivered it to this
 * instance's connections: to the other instances of the application, for example through
 * Redis. The other instances deliver it with {@link ConnectionRegistry#broadcastLocally},
 * which does not relay it again. By default ({@link #NONE}) nothing travels.
 * <p>
 * Called on the broadcasting thread, which it must not block: an implementation copies
 * what it needs before it returns and sends it from a thread of its own. Implementations
 * are thread-safe.
 */
@FunctionalInterface
public interface BroadcastRelay {

	/** The relay of a single instance: nothing travels. */
	BroadcastRelay NONE = (endpoint, selector, isBinary, payload) -> {
	};

	/**
	 * Hand a broadcast to the other instances.
	 * @param endpoint the endpoint whose connections it was for, or {@code null} for
	 * those of every endpoint
	 * @param selector which of them
	 * @param isBinary {@code true} for a binary message, {@code false} for text
	 * @param payload the payload, valid only during the call (its bytes are the caller's)
	 */
	void relay(@Nullable String endpoint, ConnectionSelector selector, boolean isBinary, ByteBuffer payload);

}
