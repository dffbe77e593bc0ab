package io.autobahn.spring.websocket.reactive;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.core.Budget;
import io.autobahn.spring.websocket.core.ReceiveMode;
import io.autobahn.spring.websocket.core.StackConnection;

/**
 * Assembles the messages of one Reactor Netty connection from its frames, without copying
 * them onto the heap, under {@code max-message-payload-size} and the endpoint's inbound
 * budget (the same checks the engine's assembler makes on the other stacks: 1009 past the
 * limit, 1013 past the budget, the rest of the message skipped):
 * <ul>
 * <li>A message in one frame is handed on as the frame's own buffer.</li>
 * <li>The fragments of a fragmented message are kept as Netty decoded them (retained, not
 * copied), each fragment of at least {@value #RETAIN_THRESHOLD} bytes as its own buffer,
 * smaller ones copied into a pooled buffer of {@value #TAIL_CAPACITY} bytes that they
 * share, so that a client sending tiny fragments cannot make the server hold a buffer and
 * its bookkeeping per byte. What is kept is reserved from the inbound budget by the
 * capacity it pins, before it is kept.</li>
 * <li>When the message is complete it is handed on in the form the protocol takes
 * ({@link StackConnection#receiveMode()}): for {@code onMessage(byte[], ...)} copied
 * once, into the array the hook gets; for {@code onMessage(ByteBuffer, ...)} as the one
 * buffer kept, or joined once into a pooled buffer (direct memory, not the heap) when
 * there are several.</li>
 * </ul>
 * Not for a protocol that streams: its frames go to the connection as they are. Frames
 * arrive one at a time, in order, on the event loop or, with blocking hooks, on the
 * thread that runs them; {@link #close()} may come from another thread: the state is
 * guarded by this object's monitor, never held while a hook runs.
 */
final class FrameAssembler {

	/** Fragments at least this large are kept as they are, smaller ones copied. */
	static final int RETAIN_THRESHOLD = 1024;

	/** The capacity of the buffer that small fragments are copied into. */
	static final int TAIL_CAPACITY = 8 * 1024;

	private final StackConnection connection;

	private final ByteBufAllocator allocator;

	private final long limit;

	private final Budget budget;

	private final boolean takesArrays;

	/** The kept fragments of the message being assembled; only its last may be a tail. */
	private final List<ByteBuf> parts = new ArrayList<>();

	/**
	 * The buffer small fragments are copied into, the last of {@link #parts}, or none.
	 */
	private @Nullable ByteBuf tail;

	/** Payload bytes of the message being assembled. */
	private long total;

	/** Bytes reserved from the budget for {@link #parts}. */
	private long reserved;

	private boolean discarding;

	private boolean closed;

	/**
	 * Create the assembler of one connection.
	 * @param connection the connection, which takes the complete messages and the
	 * refusals
	 * @param allocator the channel's allocator, for tails and joined messages
	 * @param limit the largest message in bytes
	 */
	FrameAssembler(StackConnection connection, ByteBufAllocator allocator, long limit) {
		this.connection = connection;
		this.allocator = allocator;
		this.limit = limit;
		this.budget = connection.getInboundBudget();
		this.takesArrays = connection.receiveMode() == ReceiveMode.BYTES;
	}

	/**
	 * A data frame arrived.
	 * @param content its payload, which stays the caller's: it is retained where it is
	 * kept, and released by the caller as usual
	 * @param isBinary whether the message is binary
	 * @param last whether the frame ends the message
	 */
	void frame(ByteBuf content, boolean isBinary, boolean last) {
		Outcome outcome;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			if (this.discarding) {
				this.discarding = !last;
				return;
			}
			outcome = take(content, last);
		}
		// The connection is called outside the monitor: a close it causes may come back
		// here.
		if (outcome.tooBig > 0) {
			this.connection.messageTooBig("Message of at least " + outcome.tooBig
					+ " bytes exceeds max-message-payload-size of " + this.limit + " bytes");
		}
		else if (outcome.refusedBy != null) {
			this.connection.inboundBudgetExceeded(outcome.refusedBy, outcome.refusedAmount);
		}
		else if (outcome == Outcome.WHOLE) {
			deliverWhole(content, isBinary);
		}
		else if (outcome.parts != null) {
			deliverParts(outcome.parts, outcome.size, outcome.reserved, isBinary);
		}
		else {
			this.connection.dataReceived();
		}
	}

	/**
	 * The connection is gone: give back what is kept and skip whatever is still
	 * delivered. May be called from any thread.
	 */
	synchronized void close() {
		this.closed = true;
		releaseParts();
	}

	/**
	 * Return the bytes reserved for the message being assembled.
	 * @return the reserved bytes
	 */
	synchronized long reserved() {
		return this.reserved;
	}

	/**
	 * Check a frame and keep it, or take the whole message out when the frame ends it.
	 * Called under the monitor.
	 */
	private Outcome take(ByteBuf content, boolean last) {
		int size = content.readableBytes();
		long total = this.total + size;
		if (total > this.limit) {
			drop(last);
			return Outcome.tooBig(total);
		}
		if (last && this.parts.isEmpty()) {
			return Outcome.WHOLE;
		}
		Outcome refused = keep(content, size);
		if (refused != null) {
			drop(last);
			return refused;
		}
		this.total = total;
		if (!last) {
			return Outcome.KEPT;
		}
		// The parts are the caller's now, with their reservation: a close meanwhile finds
		// none.
		Outcome message = Outcome.message(new ArrayList<>(this.parts), this.total, this.reserved);
		this.parts.clear();
		this.tail = null;
		this.total = 0;
		this.reserved = 0;
		return message;
	}

	/**
	 * Keep a fragment: retained, or copied into the tail, once the budget has granted
	 * what that pins.
	 * @return {@code null} when kept, else the budget's refusal
	 */
	private @Nullable Outcome keep(ByteBuf content, int size) {
		if (size == 0) {
			return null;
		}
		if (size >= RETAIN_THRESHOLD) {
			Outcome refused = reserve(content.capacity());
			if (refused == null) {
				this.parts.add(content.retain());
				this.tail = null;
			}
			return refused;
		}
		ByteBuf tail = this.tail;
		if (tail == null || tail.writableBytes() < size) {
			int capacity = (int) Math.max(size, Math.min(TAIL_CAPACITY, this.limit - this.total));
			Outcome refused = reserve(capacity);
			if (refused != null) {
				return refused;
			}
			tail = this.allocator.buffer(capacity, capacity);
			this.parts.add(tail);
			this.tail = tail;
		}
		tail.writeBytes(content, content.readerIndex(), size);
		return null;
	}

	private @Nullable Outcome reserve(long amount) {
		Budget refusedBy = this.budget.tryReserve(amount);
		if (refusedBy != null) {
			return Outcome.refused(refusedBy, amount);
		}
		this.reserved += amount;
		return null;
	}

	private void deliverWhole(ByteBuf content, boolean isBinary) {
		if (this.takesArrays) {
			byte[] array = new byte[content.readableBytes()];
			content.getBytes(content.readerIndex(), array);
			this.connection.messageReceived(array, isBinary);
		}
		else if (content.nioBufferCount() == 1) {
			this.connection.messageReceived(content.nioBuffer(), isBinary);
		}
		else {
			// An inflated frame may come in several buffers: join them once, off the
			// heap.
			deliverJoined(List.of(content), content.readableBytes(), isBinary);
		}
	}

	/**
	 * Hand on a complete fragmented message, outside the monitor, and give its parts and
	 * their reservation back once the hook returned.
	 */
	private void deliverParts(List<ByteBuf> message, long size, long reserved, boolean isBinary) {
		try {
			if (this.takesArrays) {
				byte[] array = new byte[Math.toIntExact(size)];
				int offset = 0;
				for (ByteBuf part : message) {
					int length = part.readableBytes();
					part.getBytes(part.readerIndex(), array, offset, length);
					offset += length;
				}
				release(message);
				this.connection.messageReceived(array, isBinary);
			}
			else if (message.size() == 1 && message.get(0).nioBufferCount() == 1) {
				this.connection.messageReceived(message.get(0).nioBuffer(), isBinary);
			}
			else {
				deliverJoined(message, size, isBinary);
			}
		}
		finally {
			release(message);
			this.budget.release(reserved);
		}
	}

	private void deliverJoined(List<ByteBuf> message, long size, boolean isBinary) {
		ByteBuf joined = this.allocator.buffer(Math.toIntExact(size));
		try {
			for (ByteBuf part : message) {
				joined.writeBytes(part, part.readerIndex(), part.readableBytes());
			}
			this.connection.messageReceived(joined.nioBuffer(), isBinary);
		}
		finally {
			joined.release();
		}
	}

	/**
	 * Drop the message being assembled; skip the rest of it unless this frame ends it.
	 */
	private void drop(boolean last) {
		releaseParts();
		this.discarding = !last;
	}

	private void releaseParts() {
		release(this.parts);
		this.tail = null;
		this.total = 0;
		this.budget.release(this.reserved);
		this.reserved = 0;
	}

	/** Release each part once, and forget it, so that a second call does nothing. */
	private static void release(List<ByteBuf> parts) {
		for (ByteBuf part : parts) {
			part.release();
		}
		parts.clear();
	}

	/**
	 * What a frame came to, decided under the monitor and acted on outside it.
	 */
	private static final class Outcome {

		/** A message in one frame, to be handed on as the frame's buffer. */
		static final Outcome WHOLE = new Outcome(0, null, 0, null, 0, 0);

		/** A fragment kept; the message goes on. */
		static final Outcome KEPT = new Outcome(0, null, 0, null, 0, 0);

		final long tooBig;

		final @Nullable Budget refusedBy;

		final long refusedAmount;

		final @Nullable List<ByteBuf> parts;

		final long size;

		final long reserved;

		private Outcome(long tooBig, @Nullable Budget refusedBy, long refusedAmount, @Nullable List<ByteBuf> parts,
				long size, long reserved) {
			this.tooBig = tooBig;
			this.refusedBy = refusedBy;
			this.refusedAmount = refusedAmount;
			this.parts = parts;
			this.size = size;
			this.reserved = reserved;
		}

		static Outcome tooBig(long size) {
			return new Outcome(size, null, 0, null, 0, 0);
		}

		static Outcome refused(Budget refusedBy, long amount) {
			return new Outcome(0, refusedBy, amount, null, 0, 0);
		}

		static Outcome message(List<ByteBuf> parts, long size, long reserved) {
			return new Outcome(0, null, 0, parts, size, reserved);
		}

	}

}
