package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;

/**
 * Hands the incoming messages of a protocol that streams them
 * ({@link ReceiveMode#STREAM}) to its streaming hooks, frame by frame, as the stack
 * delivers them (Reactor Netty: each WebSocket frame; Tomcat and Jetty: each part of a
 * message they hand over). Nothing of a message is held here, so neither
 * {@code max-message-payload-size} nor the inbound budget applies;
 * {@code max-streamed-message-size} does, checked before a frame is handed over, so the
 * hooks never see a byte past it. Text parts that a servlet container hands over as
 * strings are encoded back to UTF-8 (the container validated them).
 * <p>
 * A message whose frame passed the limit, or one of whose hooks threw, is not handed over
 * further: the rest of its frames is skipped, while the connection closes (1009, 1011).
 * Not thread-safe: the stack delivers a connection's frames one at a time, in order; only
 * {@link #close()} may come from another thread.
 */
final class MessageStream {

	private final long limit;

	private final HookInvoker hooks;

	private final Counter counter;

	private final TextPartEncoder textEncoder = new TextPartEncoder();

	/** Whether a message has begun and not yet ended. */
	private boolean inMessage;

	private boolean binary;

	/** Bytes of the current message handed over so far. */
	private long received;

	/** Whether the rest of the current message is skipped. */
	private boolean discarding;

	private volatile boolean closed;

	/**
	 * Create the stream of one connection.
	 * @param limit the largest message in bytes, or {@code 0} for none
	 * @param hooks the connection's hook invoker
	 * @param counter counts each message when its last frame arrives
	 */
	MessageStream(long limit, HookInvoker hooks, Counter counter) {
		this.limit = limit;
		this.hooks = hooks;
		this.counter = counter;
	}

	/**
	 * A part of a text message arrived as a string.
	 * @param part the part
	 * @param last whether it ends the message
	 * @throws MessageAssembler.MessageTooBigException if the message passes the limit
	 */
	void text(String part, boolean last) {
		if (skip(last)) {
			return;
		}
		frame(ByteBuffer.wrap(this.textEncoder.encode(part, last)), false, last);
	}

	/**
	 * A frame (or a part) of a message arrived.
	 * @param data its payload, read before this method returns, not kept
	 * @param isBinary whether the message is binary
	 * @param last whether it ends the message
	 * @throws MessageAssembler.MessageTooBigException if the message passes the limit
	 */
	void frame(ByteBuffer data, boolean isBinary, boolean last) {
		if (skip(last)) {
			return;
		}
		boolean first = !this.inMessage;
		if (first) {
			this.binary = isBinary;
			this.received = 0;
		}
		long size = data.remaining();
		if (this.limit > 0 && this.received + size > this.limit) {
			drop(last);
			throw new MessageAssembler.MessageTooBigException(this.received + size, this.limit,
					"max-streamed-message-size");
		}
		this.received += size;
		this.inMessage = !last;
		if (last) {
			this.counter.count(this.binary, this.received);
		}
		if (!this.hooks.frame(first, this.binary, data.isReadOnly() ? data : data.asReadOnlyBuffer(), last)) {
			drop(last);
		}
	}

	/**
	 * The connection is gone: skip whatever is still delivered. May be called from any
	 * thread.
	 */
	void close() {
		this.closed = true;
	}

	private boolean skip(boolean last) {
		if (this.closed) {
			return true;
		}
		if (this.discarding) {
			this.discarding = !last;
			return true;
		}
		return false;
	}

	private void drop(boolean last) {
		this.inMessage = false;
		this.discarding = !last;
		this.textEncoder.reset();
	}

	/**
	 * Counts the messages received (the connection's traffic, the endpoint's observer).
	 */
	@FunctionalInterface
	interface Counter {

		/**
		 * A message's last frame arrived, about to be handed over.
		 * @param isBinary whether the message is binary
		 * @param size the message's payload size in bytes
		 */
		void count(boolean isBinary, long size);

	}

}
