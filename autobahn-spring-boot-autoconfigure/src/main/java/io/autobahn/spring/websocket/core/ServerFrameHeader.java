package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;

/**
 * The header of a whole frame a server sends (RFC 6455 5.2): FIN, the opcode, no mask,
 * the payload length in its shortest form. For the adapters that write frames themselves
 * and for prepared messages. Stateless; thread-safe.
 */
public final class ServerFrameHeader {

	private ServerFrameHeader() {
	}

	/**
	 * Return the bytes of the header of a frame with the given payload length.
	 * @param length the payload length
	 * @return 2, 4 or 10
	 */
	public static int size(int length) {
		return (length < 126) ? 2 : (length < 65536) ? 4 : 10;
	}

	/**
	 * Write the header of a whole frame at the buffer's position, moving it past the
	 * header.
	 * @param into the buffer, with at least {@link #size(int)} bytes remaining
	 * @param opcode the RFC 6455 opcode
	 * @param length the payload length
	 * @return the buffer
	 */
	public static ByteBuffer put(ByteBuffer into, int opcode, int length) {
		into.put((byte) (0x80 | opcode));
		if (length < 126) {
			into.put((byte) length);
		}
		else if (length < 65536) {
			into.put((byte) 126).putShort((short) length);
		}
		else {
			into.put((byte) 127).putLong(length);
		}
		return into;
	}

}
