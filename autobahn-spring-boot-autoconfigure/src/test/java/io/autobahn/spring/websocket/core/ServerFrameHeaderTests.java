package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ServerFrameHeader}: FIN and the opcode, no mask, and each payload
 * length in its shortest form (RFC 6455 5.2), at the edges of the three forms.
 */
class ServerFrameHeaderTests {

	@Test
	void lengthsBelow126FitInTheSecondByte() {
		assertThat(header(0x1, 0)).containsExactly(0x81, 0);
		assertThat(header(0x2, 125)).containsExactly(0x82, 125);
	}

	@Test
	void lengthsBelow65536TakeTwoMoreBytes() {
		assertThat(header(0x1, 126)).containsExactly(0x81, 126, 0, 126);
		assertThat(header(0x9, 65535)).containsExactly(0x89, 126, 0xFF, 0xFF);
	}

	@Test
	void longerLengthsTakeEightMoreBytes() {
		assertThat(header(0x2, 65536)).containsExactly(0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0);
		assertThat(header(0x2, Integer.MAX_VALUE)).containsExactly(0x82, 127, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF);
	}

	private static int[] header(int opcode, int length) {
		ByteBuffer buffer = ServerFrameHeader.put(ByteBuffer.allocate(ServerFrameHeader.size(length)), opcode, length);
		assertThat(buffer.hasRemaining()).as("the header fills its size").isFalse();
		buffer.flip();
		int[] bytes = new int[buffer.remaining()];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = buffer.get() & 0xFF;
		}
		return bytes;
	}

}
