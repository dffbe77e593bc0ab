package io.autobahn.spring.websocket.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.PreparedMessage;

/**
 * The starter's {@link PreparedMessage}: the payload copied once, into an array laid out
 * as the whole frame a server sends (RFC 6455 5.2: FIN and the opcode, the payload
 * length, no mask, the payload), so that a stack writing raw bytes (Reactor Netty) writes
 * the frame as it is, and the others get a buffer of their own over its payload.
 * <p>
 * Its bytes count once against the outbound budget, however many connections hold it: the
 * first connection that holds it reserves its size from the application's budget (the
 * root of the connection's), the last one done with it releases them. Immutable but for
 * that count; thread-safe.
 */
public final class SharedMessage implements PreparedMessage {

	private static final int OPCODE_TEXT = 0x1;

	private static final int OPCODE_BINARY = 0x2;

	private static final VarHandle HOLDERS;

	static {
		try {
			HOLDERS = MethodHandles.lookup().findVarHandle(SharedMessage.class, "holders", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final byte[] frame;

	private final int offset;

	private final int size;

	private final boolean binary;

	private final Budget budget;

	/** Connections that hold it in their send path. */
	private volatile int holders;

	private volatile @Nullable String text;

	/** The frame in direct memory, made by the first connection that needed it. */
	private volatile @Nullable ByteBuffer directFrame;

	private SharedMessage(byte[] payload, int offset, int length, boolean binary, Budget budget) {
		int header = ServerFrameHeader.size(length);
		byte[] frame = new byte[header + length];
		ServerFrameHeader.put(ByteBuffer.wrap(frame), binary ? OPCODE_BINARY : OPCODE_TEXT, length);
		System.arraycopy(payload, offset, frame, header, length);
		this.frame = frame;
		this.offset = header;
		this.size = length;
		this.binary = binary;
		this.budget = budget;
	}

	/**
	 * Prepare a message, copying its payload.
	 * @param payload the payload; for text its UTF-8 bytes
	 * @param isBinary whether the message is binary
	 * @param budget the budget its bytes count against while connections hold it (the
	 * application's outbound budget)
	 * @return the message
	 */
	public static SharedMessage of(byte[] payload, boolean isBinary, Budget budget) {
		return new SharedMessage(payload, 0, payload.length, isBinary, budget);
	}

	/**
	 * Prepare a message from a buffer, copying its remaining bytes without moving its
	 * position.
	 * @param payload the payload
	 * @param isBinary whether the message is binary
	 * @param budget the budget its bytes count against while connections hold it
	 * @return the message
	 */
	public static SharedMessage of(ByteBuffer payload, boolean isBinary, Budget budget) {
		byte[] bytes = new byte[payload.remaining()];
		payload.duplicate().get(bytes);
		return new SharedMessage(bytes, 0, bytes.length, isBinary, budget);
	}

	/**
	 * Return the starter's form of a prepared message.
	 * @param message a message the starter prepared
	 * @return it, as this type
	 * @throws IllegalArgumentException for a message made some other way
	 */
	public static SharedMessage from(PreparedMessage message) {
		if (message instanceof SharedMessage shared) {
			return shared;
		}
		throw new IllegalArgumentException(
				"Prepare messages with WebSocketConnections.prepareMessage, got " + message.getClass().getName());
	}

	@Override
	public boolean isBinary() {
		return this.binary;
	}

	@Override
	public int getSize() {
		return this.size;
	}

	/**
	 * Return the payload's length.
	 * @return the bytes of the payload
	 */
	public int size() {
		return this.size;
	}

	@Override
	public ByteBuffer getPayload() {
		return ByteBuffer.wrap(this.frame, this.offset, this.size).slice().asReadOnlyBuffer();
	}

	/**
	 * Return a buffer of its own over the payload, for a transport to consume: writable,
	 * since some containers take a copy of a read-only buffer, but not to be written to.
	 * @return a new buffer from the payload's first byte to its last
	 */
	public ByteBuffer payload() {
		return ByteBuffer.wrap(this.frame, this.offset, this.size);
	}

	/**
	 * Return the whole unmasked frame, header and payload, shared by every connection:
	 * not to be changed.
	 * @return the frame's bytes
	 */
	public byte[] frame() {
		return this.frame;
	}

	/**
	 * Return a buffer of its own over the whole frame in direct memory, which a socket
	 * writes without copying it first as it does a heap buffer: copied there by the first
	 * connection that asks and kept for as long as this message (its memory goes with the
	 * message, to the garbage collector). Connections that ask at once may each make a
	 * copy; one is kept.
	 * @return a new read-only buffer from the frame's first byte to its last
	 */
	public ByteBuffer directFrame() {
		ByteBuffer frame = this.directFrame;
		if (frame == null) {
			frame = ByteBuffer.allocateDirect(this.frame.length).put(this.frame).flip().asReadOnlyBuffer();
			this.directFrame = frame;
		}
		return frame.duplicate();
	}

	/**
	 * Return a buffer of its own over the payload in {@link #directFrame() direct
	 * memory}, for a stack that writes its own frame header and the payload as it is.
	 * @return a new read-only buffer from the payload's first byte to its last
	 */
	public ByteBuffer directPayload() {
		ByteBuffer frame = directFrame();
		frame.position(this.offset);
		return frame;
	}

	/**
	 * Return a text message's payload as a string, made once for the stacks whose API
	 * takes text as strings.
	 * @return the text
	 */
	public String text() {
		String text = this.text;
		if (text == null) {
			text = new String(this.frame, this.offset, this.size, StandardCharsets.UTF_8);
			this.text = text;
		}
		return text;
	}

	/**
	 * Return the budget this message's bytes count against.
	 * @return the budget
	 */
	Budget getBudget() {
		return this.budget;
	}

	/**
	 * A connection holds this message from now on until it calls {@link #release()}: the
	 * first one reserves its bytes.
	 * @return {@code null} if held, else the budget that refused its bytes
	 */
	@Nullable Budget acquire() {
		for (;;) {
			int holders = this.holders;
			if (holders > 0) {
				if (HOLDERS.compareAndSet(this, holders, holders + 1)) {
					return null;
				}
				continue;
			}
			Budget refusedBy = this.budget.tryReserve(this.size);
			if (refusedBy != null) {
				return refusedBy;
			}
			if (HOLDERS.compareAndSet(this, 0, 1)) {
				return null;
			}
			// Another connection took it first, with a reservation of its own.
			this.budget.release(this.size);
		}
	}

	/**
	 * A connection is done with this message: the last one releases its bytes.
	 */
	void release() {
		if ((int) HOLDERS.getAndAdd(this, -1) == 1) {
			this.budget.release(this.size);
		}
	}

	@Override
	public String toString() {
		return "PreparedMessage[" + (this.binary ? "binary" : "text") + ", " + this.size + " bytes]";
	}

}
