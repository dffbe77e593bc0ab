package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MessageAssembler}: parts join into one message, the limit is enforced
 * on the running total before the message completes, and the tail of a rejected message
 * is never mistaken for a new message. Its buffer capacity is reserved from the inbound
 * budget before it is allocated, a refusal drops the message, and every reserved byte is
 * released when the message completes, is dropped, or the connection closes.
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
	void bufferCapacityIsReservedAsItGrowsAndReleasedWhenTheMessageCompletes() {
		Budget budget = new Budget("inbound", Budget.UNLIMITED, null);
		MessageAssembler assembler = new MessageAssembler(1024 * 1024, budget);
		assembler.binary(ByteBuffer.wrap(new byte[100]), false);
		assertThat(budget.getInUse()).as("the first allocation").isEqualTo(256);
		assembler.binary(ByteBuffer.wrap(new byte[MessageAssembler.CHUNK_SIZE]), false);
		assertThat(budget.getInUse()).isEqualTo(assembler.reserved()).isEqualTo(2L * MessageAssembler.CHUNK_SIZE);
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[10]), true)).hasSize(MessageAssembler.CHUNK_SIZE + 110);
		assertThat(budget.getInUse()).isZero();
		assertThat(budget.getPeak()).isEqualTo(2L * MessageAssembler.CHUNK_SIZE);
	}

	@Test
	void aMessageInOnePartReservesNothing() {
		Budget budget = new Budget("inbound", 1, null);
		MessageAssembler assembler = new MessageAssembler(1024 * 1024, budget);
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[100_000]), true)).hasSize(100_000);
		assertThat(assembler.text("whole", true)).hasSize(5);
		assertThat(budget.getPeak()).isZero();
	}

	@Test
	void aPartTheBudgetRefusesDropsTheMessageAndItsTailButNotTheNextMessage() {
		Budget budget = new Budget("inbound", MessageAssembler.CHUNK_SIZE + 1000, null);
		MessageAssembler assembler = new MessageAssembler(1024 * 1024, budget);
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[MessageAssembler.CHUNK_SIZE]), false)).isNull();
		assertThatExceptionOfType(MessageAssembler.BudgetExceededException.class)
			.isThrownBy(() -> assembler.binary(ByteBuffer.wrap(new byte[10]), false))
			.satisfies((ex) -> {
				assertThat(ex.refusedBy()).isSameAs(budget);
				assertThat(ex.amount()).isEqualTo(MessageAssembler.CHUNK_SIZE);
			});
		assertThat(budget.getInUse()).as("the dropped message's bytes are back").isZero();
		assertThat(budget.getRefusals()).isEqualTo(1);
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[5]), false)).as("the tail").isNull();
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[5]), true)).as("the tail's end").isNull();
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[3]), false)).isNull();
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[4]), true)).hasSize(7);
		assertThat(budget.getInUse()).isZero();
	}

	@Test
	void aMessageOverTheLimitAndAResetReleaseWhatWasReserved() {
		Budget budget = new Budget("inbound", Budget.UNLIMITED, null);
		MessageAssembler assembler = new MessageAssembler(1000, budget);
		assembler.text("a".repeat(600), false);
		assertThat(budget.getInUse()).isPositive();
		assertThatExceptionOfType(MessageAssembler.MessageTooBigException.class)
			.isThrownBy(() -> assembler.text("b".repeat(600), false));
		assertThat(budget.getInUse()).isZero();
		assembler.text("c".repeat(10), true);
		assembler.text("d".repeat(600), false);
		assembler.reset();
		assertThat(budget.getInUse()).isZero();
	}

	@Test
	void closingReleasesEverythingAndLaterPartsAreIgnored() {
		Budget budget = new Budget("inbound", Budget.UNLIMITED, null);
		MessageAssembler assembler = new MessageAssembler(1024 * 1024, budget);
		assembler.binary(ByteBuffer.wrap(new byte[200_000]), false);
		assertThat(budget.getInUse()).isPositive();
		assembler.close();
		assertThat(budget.getInUse()).isZero();
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[200_000]), false)).isNull();
		assertThat(assembler.binary(ByteBuffer.wrap(new byte[1]), true)).isNull();
		assertThat(budget.getInUse()).isZero();
		assertThat(budget.getPeak()).as("nothing reserved after the close").isLessThanOrEqualTo(4L * 65536);
	}

	@Test
	void aCloseFromAnotherThreadWhilePartsArriveLeavesNothingReserved() throws Exception {
		for (int round = 0; round < 200; round++) {
			Budget budget = new Budget("inbound", Budget.UNLIMITED, null);
			MessageAssembler assembler = new MessageAssembler(Long.MAX_VALUE, budget);
			Thread reader = new Thread(() -> {
				for (int i = 0; i < 50; i++) {
					try {
						assembler.binary(ByteBuffer.wrap(new byte[MessageAssembler.CHUNK_SIZE]), false);
					}
					catch (RuntimeException ex) {
						// The buffers may vanish under the reader, as when a container
						// delivers a
						// part while the connection is closed; only the accounting
						// matters here.
					}
				}
			});
			reader.start();
			Thread.sleep(0, ThreadLocalRandom.current().nextInt(200_000));
			assembler.close();
			reader.join(10_000);
			assertThat(budget.getInUse()).as("round %d", round).isZero();
		}
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
