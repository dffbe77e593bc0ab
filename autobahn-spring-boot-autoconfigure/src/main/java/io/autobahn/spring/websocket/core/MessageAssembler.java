package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Joins the parts of one incoming message under a size limit. The buffer grows only as
 * data arrives, so a client announcing or starting a huge message costs nothing until it
 * actually sends the bytes, and never more than the limit. Not thread-safe: the container
 * delivers the parts of a connection's messages one at a time.
 */
final class MessageAssembler {

	private static final byte[] EMPTY = new byte[0];

	private static final int INITIAL_CAPACITY = 256;

	private final long limit;

	private byte[] buffer = EMPTY;

	private int length;

	private char pendingHighSurrogate;

	private boolean discarding;

	MessageAssembler(long limit) {
		this.limit = limit;
	}

	/**
	 * Add a part of a text message.
	 * @param text the part
	 * @param last whether it ends the message
	 * @return the complete message's UTF-8 bytes when {@code last}, else {@code null}
	 * @throws MessageTooBigException if the message exceeds the limit
	 */
	byte @Nullable [] text(String text, boolean last) {
		if (skipRejected(last)) {
			return null;
		}
		if (this.pendingHighSurrogate != 0) {
			text = this.pendingHighSurrogate + text;
			this.pendingHighSurrogate = 0;
		}
		if (!last && !text.isEmpty() && Character.isHighSurrogate(text.charAt(text.length() - 1))) {
			// A surrogate pair split between two parts: encode it whole with the next part.
			this.pendingHighSurrogate = text.charAt(text.length() - 1);
			text = text.substring(0, text.length() - 1);
		}
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		if (last && this.length == 0) {
			check(bytes.length, true);
			return bytes;
		}
		append(bytes, last);
		return last ? take() : null;
	}

	/**
	 * Add a part of a binary message.
	 * @param data the part (read, not kept)
	 * @param last whether it ends the message
	 * @return the complete message when {@code last}, else {@code null}
	 * @throws MessageTooBigException if the message exceeds the limit
	 */
	byte @Nullable [] binary(ByteBuffer data, boolean last) {
		if (skipRejected(last)) {
			return null;
		}
		int size = data.remaining();
		if (last && this.length == 0) {
			check(size, true);
			byte[] bytes = new byte[size];
			data.get(bytes);
			return bytes;
		}
		check((long) this.length + size, last);
		ensureCapacity(this.length + size);
		data.get(this.buffer, this.length, size);
		this.length += size;
		return last ? take() : null;
	}

	/**
	 * Drop a partly received message.
	 */
	void reset() {
		this.buffer = EMPTY;
		this.length = 0;
		this.pendingHighSurrogate = 0;
	}

	/**
	 * Skip the remaining parts of a message already rejected as too big, so that its tail
	 * is never taken for a message of its own.
	 */
	private boolean skipRejected(boolean last) {
		if (this.discarding) {
			this.discarding = !last;
			return true;
		}
		return false;
	}

	private void append(byte[] bytes, boolean last) {
		check((long) this.length + bytes.length, last);
		ensureCapacity(this.length + bytes.length);
		System.arraycopy(bytes, 0, this.buffer, this.length, bytes.length);
		this.length += bytes.length;
	}

	private void check(long size, boolean last) {
		if (size > this.limit) {
			reset();
			this.discarding = !last;
			throw new MessageTooBigException(size, this.limit);
		}
	}

	private void ensureCapacity(int required) {
		if (required > this.buffer.length) {
			long grown = Math.max(INITIAL_CAPACITY, (long) this.buffer.length * 2);
			int capacity = (int) Math.min(Math.max(grown, required), Math.min(this.limit, Integer.MAX_VALUE - 8));
			this.buffer = Arrays.copyOf(this.buffer, capacity);
		}
	}

	private byte[] take() {
		byte[] message = (this.buffer.length == this.length) ? this.buffer : Arrays.copyOf(this.buffer, this.length);
		this.buffer = EMPTY;
		this.length = 0;
		return message;
	}

	/**
	 * Thrown when an incoming message exceeds {@code max-message-payload-size}.
	 */
	static final class MessageTooBigException extends RuntimeException {

		MessageTooBigException(long size, long limit) {
			super("Message of at least " + size + " bytes exceeds max-message-payload-size of " + limit + " bytes",
					null, false, false);
		}

	}

}
