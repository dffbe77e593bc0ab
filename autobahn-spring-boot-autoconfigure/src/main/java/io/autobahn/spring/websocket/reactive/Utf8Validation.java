package io.autobahn.spring.websocket.reactive;

import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;

/**
 * Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF), incremental, so that a character may be split between frames: Björn
 * Höhrmann's DFA, as Netty's own validator uses it, with a shortcut for ASCII: wherever a
 * character has ended, the bytes that follow are checked eight at a time for a byte with
 * its high bit set, and only from such a byte on does the DFA run, byte by byte, until
 * the text is back to ASCII. Plain ASCII text thus costs one load, mask and compare per
 * eight bytes. Stateless: the state of a message in progress is an {@code int} its caller
 * keeps.
 */
final class Utf8Validation {

	/** The state between characters: also the start of a message. */
	static final int ACCEPT = 0;

	/** The state after an invalid byte: it never leaves it. */
	static final int REJECT = 12;

	private static final long HIGH_BITS = 0x8080808080808080L;

	/** The class of each byte value. */
	private static final byte[] TYPES = new byte[256];

	/** The next state, at {@code state + class}. */
	private static final byte[] STATES = { 0, 12, 24, 36, 60, 96, 84, 12, 12, 12, 48, 72, 12, 12, 12, 12, 12, 12, 12,
			12, 12, 12, 12, 12, 12, 0, 12, 12, 12, 12, 12, 0, 12, 0, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 24, 12,
			12, 12, 12, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12,
			12, 12, 12, 12, 12, 36, 12, 36, 12, 12, 12, 36, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12, 12, 36, 12, 12, 12,
			12, 12, 12, 12, 12, 12, 12 };

	static {
		fill(0x80, 0x8F, 1);
		fill(0x90, 0x9F, 9);
		fill(0xA0, 0xBF, 7);
		fill(0xC0, 0xC1, 8);
		fill(0xC2, 0xDF, 2);
		fill(0xE0, 0xE0, 10);
		fill(0xE1, 0xEC, 3);
		fill(0xED, 0xED, 4);
		fill(0xEE, 0xEF, 3);
		fill(0xF0, 0xF0, 11);
		fill(0xF1, 0xF3, 6);
		fill(0xF4, 0xF4, 5);
		fill(0xF5, 0xFF, 8);
	}

	private Utf8Validation() {
	}

	private static void fill(int from, int to, int type) {
		for (int value = from; value <= to; value++) {
			TYPES[value] = (byte) type;
		}
	}

	/**
	 * Validate the readable bytes of a buffer, going on from a state.
	 * @param state the state after the bytes before ({@link #ACCEPT} at a message's
	 * start)
	 * @param data the bytes, not consumed
	 * @return the state after them: {@link #ACCEPT} if they end a character,
	 * {@link #REJECT} if they are not UTF-8, another state in the middle of a character
	 */
	static int validate(int state, ByteBuf data) {
		int count = data.nioBufferCount();
		if (count == 1) {
			return validate(state, data.nioBuffer());
		}
		if (count > 1) {
			for (ByteBuffer part : data.nioBuffers()) {
				state = validate(state, part);
			}
			return state;
		}
		// No NIO view (rare buffer types): byte by byte.
		for (int index = data.readerIndex(), end = data.writerIndex(); index < end && state != REJECT; index++) {
			state = STATES[state + TYPES[data.getByte(index) & 0xFF]];
		}
		return state;
	}

	/**
	 * Validate the remaining bytes of a buffer, going on from a state.
	 * @param state the state after the bytes before
	 * @param data the bytes from its position to its limit, not consumed
	 * @return the state after them
	 */
	static int validate(int state, ByteBuffer data) {
		int index = data.position();
		int end = data.limit();
		while (index < end) {
			if (state == ACCEPT) {
				// Between characters: skip ASCII, eight bytes at a time (the mask does
				// not care
				// about the byte order), then byte by byte up to the first byte that is
				// not.
				for (; index + Long.BYTES <= end; index += Long.BYTES) {
					if ((data.getLong(index) & HIGH_BITS) != 0) {
						break;
					}
				}
				while (index < end && data.get(index) >= 0) {
					index++;
				}
				if (index == end) {
					break;
				}
			}
			state = STATES[state + TYPES[data.get(index++) & 0xFF]];
			if (state == REJECT) {
				return REJECT;
			}
		}
		return state;
	}

}
