package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LentBuffers}: inside a hook that was lent a buffer, a read-only buffer
 * to be kept is copied (its remaining bytes, its position untouched); a writable one, or
 * any buffer outside such a hook, is kept as it is.
 */
class LentBuffersTests {

	@Test
	void aReadOnlyBufferIsCopiedOnlyInsideAHookThatWasLentOne() {
		ByteBuffer lent = ByteBuffer.wrap(new byte[] { 1, 2, 3, 4 }).position(1).asReadOnlyBuffer();
		ByteBuffer writable = ByteBuffer.allocate(4);
		assertThat(LentBuffers.safeToKeep(lent)).isSameAs(lent);
		boolean[] lending = LentBuffers.lending();
		try {
			ByteBuffer kept = LentBuffers.safeToKeep(lent);
			assertThat(kept).isNotSameAs(lent).isEqualTo(ByteBuffer.wrap(new byte[] { 2, 3, 4 }));
			assertThat(kept.isReadOnly()).isFalse();
			assertThat(lent.position()).isEqualTo(1);
			assertThat(LentBuffers.safeToKeep(writable)).isSameAs(writable);
		}
		finally {
			LentBuffers.returned(lending);
		}
		assertThat(LentBuffers.safeToKeep(lent)).isSameAs(lent);
	}

}
