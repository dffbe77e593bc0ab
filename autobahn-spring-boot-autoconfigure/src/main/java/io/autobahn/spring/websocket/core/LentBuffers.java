package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;

/**
 * Knows whether the current thread is inside a hook that was lent a buffer valid only for
 * the call ({@code onMessage(ByteBuffer, boolean)}, {@code onMessageFrameData}), so that
 * a send that would keep such a buffer past the call (a zero-copy send of a read-only
 * buffer: the lent buffer, or a duplicate or slice of it, which are read-only too) copies
 * it first instead of reading memory the stack has reused by the time it is written.
 * Thread-confined state; the methods may be called from any thread.
 */
final class LentBuffers {

	private static final ThreadLocal<boolean[]> LENDING = ThreadLocal.withInitial(() -> new boolean[1]);

	private LentBuffers() {
	}

	/**
	 * Mark the start of a hook that was lent a buffer, on this thread.
	 * @return the marker to give {@link #returned}
	 */
	static boolean[] lending() {
		boolean[] lending = LENDING.get();
		lending[0] = true;
		return lending;
	}

	/**
	 * Mark the end of the hook.
	 * @param lending the marker {@link #lending()} returned
	 */
	static void returned(boolean[] lending) {
		lending[0] = false;
	}

	/**
	 * Return the buffer to send, copied when it may be a lent one.
	 * @param payload the buffer a send was given, from its position to its limit
	 * @return the buffer itself, or a copy of its remaining bytes when it is read-only
	 * and this thread is inside a hook that was lent a buffer
	 */
	static ByteBuffer safeToKeep(ByteBuffer payload) {
		if (!payload.isReadOnly() || !LENDING.get()[0]) {
			return payload;
		}
		ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
		copy.put(payload.duplicate()).flip();
		return copy;
	}

}
