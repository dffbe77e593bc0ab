package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MessageAssembler}: parts join into one message, the limit is enforced
 * on the running total before the message completes, and the tail of a rejected message is
 * never mistaken for a new message.
 */
class MessageAssemblerTests {

	@Test
	void wholeTextMessageIsItsUtf8Bytes() {
		MessageAssembler assembler = new MessageAssembler(100);
		assertThat(assembler.text("héllo", true)).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void textPartsJoinAndASurrogatePairSplitBetweenPartsSurvives() {
		MessageAssembler assembler = new MessageAssembler(100);
		String text = "a😀b";
		assertThat(assembler.text(text.substring(0, 2), false)).isNull();
		assertThat(assembler.text(text.substring(2), true)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void binaryPartsJoin() {
		MessageAssembler assembler = new MessageAssembler(100);
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[] { 1, 2 }), false)).isNull();
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[] { 3 }), false)).isNull();
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[] { 4, 5 }), true)).containsExactly(1, 2, 3, 4, 5);
	}

	@Test
	void messageOfExactlyTheLimitPasses() {
		MessageAssembler assembler = new MessageAssembler(4);
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[2]), false)).isNull();
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[2]), true)).hasSize(4);
	}

	@Test
	void limitIsEnforcedBeforeTheMessageCompletes() {
		MessageAssembler assembler = new MessageAssembler(4);
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[3]), false)).isNull();
		assertThatExceptionOfType(MessageAssembler.MessageTooBigException.class)
			.isThrownBy(() -> assembler.binary(ByteBuffer.wrap(new byte[2]), false));
	}

	@Test
	void tailOfARejectedMessageIsSkippedAndTheNextMessageIsWhole() {
		MessageAssembler assembler = new MessageAssembler(4);
		assertThatExceptionOfType(MessageAssembler.MessageTooBigException.class)
			.isThrownBy(() -> assembler.text("abcdef", false));
		assertThat(assembler.text("tail", false)).isNull();
		assertThat(assembler.text("end", true)).isNull();
		assertThat(assembler.text("ok", true)).isEqualTo("ok".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void aWholeMessageOverTheLimitDoesNotSwallowTheNextOne() {
		MessageAssembler assembler = new MessageAssembler(4);
		assertThatExceptionOfType(MessageAssembler.MessageTooBigException.class)
			.isThrownBy(() -> assembler.binary(ByteBuffer.wrap(new byte[5]), true));
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[1]), true)).hasSize(1);
	}

	@Test
	void partsSpanningSeveralChunksJoinInOrderUpToTheLimit() {
		int size = 2 * MessageAssembler.CHUNK_SIZE + 5;
		MessageAssembler assembler = new MessageAssembler(size);
		byte[] expected = new byte[size];
		for (int i = 0; i < size; i++) {
			expected[i] = (byte) (i * 31);
		}
		int[] parts = { 1, 300, 8192, 70_000, size - 1 - 300 - 8192 - 70_000 };
		int offset = 0;
		for (int i = 0; i < parts.length; i++) {
			byte[] message = assembler.binary(ByteBuffer.wrap(expected, offset, parts[i]), i == parts.length - 1);
			offset += parts[i];
			if (i < parts.length - 1) {
				assertThat(message).isNull();
			}
			else {
				assertThat(message).isEqualTo(expected);
			}
		}
		assertThat(assembler.binary(ByteBuffer.wrap(expected, 0, 3), true)).hasSize(3);
	}

	@Test
	void limitIsEnforcedPastTheFirstChunk() {
		MessageAssembler assembler = new MessageAssembler(MessageAssembler.CHUNK_SIZE + 1);
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[MessageAssembler.CHUNK_SIZE]), false)).isNull();
		assertThatExceptionOfType(MessageAssembler.MessageTooBigException.class)
			.isThrownBy(() -> assembler.binary(ByteBuffer.wrap(new byte[2]), false));
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[1]), true)).isNull();
		assertThat(assembler.text("ok", true)).isEqualTo("ok".getBytes(StandardCharsets.UTF_8));
	}

}
