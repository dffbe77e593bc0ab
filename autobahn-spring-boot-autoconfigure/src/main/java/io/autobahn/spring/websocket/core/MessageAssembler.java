package io.autobahn.spring.websocket.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Joins the parts of one incoming message under a size limit. The buffer grows only as
 * data arrives (at most one chunk ahead of it), so a client announcing or starting a huge
 * message costs nothing until it actually sends the bytes, and never more than the limit.
 * Not thread-safe: the container delivers the parts of a connection's messages one at a
 * time; only {@link #close()} may come from another thread.
 * <p>
 * Every byte of buffer capacity is reserved from the endpoint's inbound {@link Budget}
 * before it is allocated, and released when the message completes, is dropped, or the
 * connection closes. A reservation the budget refuses drops the message and throws
 * {@link BudgetExceededException}; a message delivered whole in one part is handed on at
 * once and reserves nothing.
 * <p>
 * Parts are gathered in chunks of at most {@value #CHUNK_SIZE} bytes and joined once,
 * into an array of the exact size, when the message is complete: a large message costs
 * one large allocation (a humongous one for G1) rather than a series of doublings, each
 * copied from the last.
 * <p>
 * Where {@code max-message-payload-size} is enforced, on each stack: here on Tomcat and
 * Jetty, which hand the starter messages in parts (through partial-message handlers) and
 * need no other check: they pass on what has arrived of a message, inflated in small
 * steps. Reactor Netty hands over frames, which its adapter assembles itself without
 * copying them ({@code reactive.FrameAssembler}, under the same limit and budget); it
 * needs two more checks, because Netty holds bytes before they get there: its frame
 * decoder collects each frame whole, so its frame limit is
 * {@code max-frame-payload-size}, or the message limit plus a little for a frame that
 * compression made larger (else Netty's default of 64 KiB would refuse larger messages);
 * and its inflater is bounded at one byte past the message limit, so that a deflate bomb
 * is refused before it is inflated ({@code messageTooBig}).
 * <p>
 * Over this project's usual length because half of it is this javadoc and that of its two
 * small nested types, which say where each stack enforces the size limit.
 */
final class MessageAssembler {

	private static final byte[] EMPTY = new byte[0];

	private static final VarHandle RESERVED;

	static {
		try {
			RESERVED = MethodHandles.lookup().findVarHandle(MessageAssembler.class, "reserved", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private static final int INITIAL_CAPACITY = 256;

	static final int CHUNK_SIZE = 64 * 1024;

	private final long limit;

	private final Budget budget;

	/**
	 * Full chunks of {@link #CHUNK_SIZE} bytes, before {@link #buffer}; only while a
	 * message larger than a chunk is being assembled (one of these per connection).
	 */
	private @Nullable List<byte[]> chunks;

	private byte[] buffer = EMPTY;

	/** Bytes in {@link #buffer}. */
	private int length;

	/** Bytes in {@link #chunks} and {@link #buffer}. */
	private long total;

	private final TextPartEncoder textEncoder = new TextPartEncoder();

	private boolean discarding;

	/**
	 * Bytes reserved from the budget: the capacity of {@link #chunks} and
	 * {@link #buffer}. Taken back with {@code getAndSet(0)} by whichever thread releases,
	 * so that a release racing {@link #close()} never gives back an amount twice.
	 */
	private volatile long reserved;

	private volatile boolean closed;

	MessageAssembler(long limit) {
		this(limit, EndpointBudgets.unlimited("none").getInbound());
	}

	MessageAssembler(long limit, Budget budget) {
		this.limit = limit;
		this.budget = budget;
	}

	/**
	 * Add a part of a text message.
	 * @param text the part
	 * @param last whether it ends the message
	 * @return the complete message's UTF-8 bytes when {@code last}, else {@code null}
	 * @throws MessageTooBigException if the message exceeds the limit
	 * @throws BudgetExceededException if the inbound budget cannot hold the part
	 */
	byte @Nullable [] text(String text, boolean last) {
		if (skipRejected(last)) {
			return null;
		}
		byte[] bytes = this.textEncoder.encode(text, last);
		if (last && this.total == 0) {
			check(bytes.length, true);
			return bytes;
		}
		append(ByteBuffer.wrap(bytes), last);
		return last ? take() : null;
	}

	/**
	 * Return whether a part of a binary message is the whole message (it ends the message
	 * and no part came before it), which can then be handed on as it is, without a copy.
	 * Its size is checked against the limit here; a part of a message rejected earlier is
	 * not whole, and {@link #binary} skips it.
	 * @param data the part
	 * @param last whether it ends the message
	 * @return whether it is the whole message
	 * @throws MessageTooBigException if the message exceeds the limit
	 */
	boolean isWhole(ByteBuffer data, boolean last) {
		if (!last || this.total != 0 || this.closed || this.discarding) {
			return false;
		}
		check(data.remaining(), true);
		return true;
	}

	/**
	 * Add a part of a binary message.
	 * @param data the part (read, not kept)
	 * @param last whether it ends the message
	 * @return the complete message when {@code last}, else {@code null}
	 * @throws MessageTooBigException if the message exceeds the limit
	 * @throws BudgetExceededException if the inbound budget cannot hold the part
	 */
	byte @Nullable [] binary(ByteBuffer data, boolean last) {
		if (skipRejected(last)) {
			return null;
		}
		int size = data.remaining();
		if (last && this.total == 0) {
			check(size, true);
			byte[] bytes = new byte[size];
			data.get(bytes);
			return bytes;
		}
		append(data, last);
		return last ? take() : null;
	}

	/**
	 * Drop a partly received message and give its bytes back to the budget.
	 */
	void reset() {
		this.chunks = null;
		this.buffer = EMPTY;
		this.length = 0;
		this.total = 0;
		this.textEncoder.reset();
		releaseReserved();
	}

	/**
	 * The connection is gone: drop what is buffered, give its bytes back, and ignore any
	 * part still delivered. May be called from any thread, also while a part is being
	 * added.
	 */
	void close() {
		this.closed = true;
		reset();
	}

	/**
	 * Return the bytes reserved from the budget for the message being assembled.
	 * @return the reserved bytes
	 */
	long reserved() {
		return this.reserved;
	}

	/**
	 * Skip the remaining parts of a message already rejected as too big (or over the
	 * budget), so that its tail is never taken for a message of its own; skip everything
	 * once closed.
	 */
	private boolean skipRejected(boolean last) {
		if (this.closed) {
			return true;
		}
		if (this.discarding) {
			this.discarding = !last;
			return true;
		}
		return false;
	}

	private void releaseReserved() {
		this.budget.release((long) RESERVED.getAndSet(this, 0L));
	}

	/**
	 * Reserve buffer capacity before allocating it.
	 * @throws BudgetExceededException if the budget refuses, after dropping the message
	 */
	private void reserve(long bytes, boolean last) {
		Budget refusedBy = this.budget.tryReserve(bytes);
		if (refusedBy != null) {
			reset();
			this.discarding = !last;
			throw new BudgetExceededException(refusedBy, bytes);
		}
		RESERVED.getAndAdd(this, bytes);
		if (this.closed) {
			// close() ran on another thread after the reservation: nobody else will
			// release it.
			releaseReserved();
		}
	}

	private void append(ByteBuffer data, boolean last) {
		check(this.total + data.remaining(), last);
		this.total += data.remaining();
		while (data.hasRemaining()) {
			if (this.length == this.buffer.length) {
				grow(data.remaining(), last);
			}
			int count = Math.min(data.remaining(), this.buffer.length - this.length);
			data.get(this.buffer, this.length, count);
			this.length += count;
		}
	}

	private void check(long size, boolean last) {
		if (size > this.limit) {
			reset();
			this.discarding = !last;
			throw new MessageTooBigException(size, this.limit, "max-message-payload-size");
		}
	}

	/**
	 * Make room in {@link #buffer}: the first chunk doubles as data arrives (so a small
	 * fragmented message stays small), later ones are allocated whole; for the part that
	 * ends the message, only what it still needs. Either way no more than the limit
	 * allows, and not before the budget granted the new capacity.
	 */
	private void grow(int wanted, boolean last) {
		List<byte[]> chunks = this.chunks;
		long room = this.limit - ((chunks != null) ? (long) chunks.size() * CHUNK_SIZE : 0);
		if (this.buffer.length == CHUNK_SIZE) {
			int size = (int) Math.min(CHUNK_SIZE, room - CHUNK_SIZE);
			if (last) {
				size = Math.min(size, wanted);
			}
			reserve(size, last);
			if (chunks == null) {
				chunks = new ArrayList<>();
				this.chunks = chunks;
			}
			chunks.add(this.buffer);
			this.buffer = new byte[size];
			this.length = 0;
			return;
		}
		long grown = last ? (long) this.length + wanted
				: Math.max(Math.max(INITIAL_CAPACITY, (long) this.buffer.length * 2), (long) this.length + wanted);
		int capacity = (int) Math.min(Math.min(grown, CHUNK_SIZE), room);
		reserve(capacity - this.buffer.length, last);
		this.buffer = Arrays.copyOf(this.buffer, capacity);
	}

	private byte[] take() {
		byte[] message;
		List<byte[]> chunks = this.chunks;
		if (chunks == null) {
			message = (this.buffer.length == this.length) ? this.buffer : Arrays.copyOf(this.buffer, this.length);
		}
		else {
			message = new byte[Math.toIntExact(this.total)];
			int offset = 0;
			for (byte[] chunk : chunks) {
				System.arraycopy(chunk, 0, message, offset, chunk.length);
				offset += chunk.length;
			}
			System.arraycopy(this.buffer, 0, message, offset, this.length);
		}
		reset();
		return message;
	}

	/**
	 * Thrown when the inbound budget refuses the bytes a message needs next; the message
	 * is dropped and the rest of it will be skipped.
	 */
	static final class BudgetExceededException extends RuntimeException {

		private final transient Budget refusedBy;

		private final long amount;

		BudgetExceededException(Budget refusedBy, long amount) {
			super("Another " + amount + " bytes would pass " + refusedBy.getName(), null, false, false);
			this.refusedBy = refusedBy;
			this.amount = amount;
		}

		Budget refusedBy() {
			return this.refusedBy;
		}

		long amount() {
			return this.amount;
		}

	}

	/**
	 * Thrown when an incoming message exceeds {@code max-message-payload-size}, or a
	 * streamed one {@code max-streamed-message-size}.
	 */
	static final class MessageTooBigException extends RuntimeException {

		MessageTooBigException(long size, long limit, String setting) {
			super("Message of at least " + size + " bytes exceeds " + setting + " of " + limit + " bytes", null, false,
					false);
		}

	}

}
