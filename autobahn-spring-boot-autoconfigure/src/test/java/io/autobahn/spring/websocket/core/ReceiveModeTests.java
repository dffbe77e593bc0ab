package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.autobahn.spring.websocket.WebSocketServerProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReceiveMode}: the form a protocol class takes its messages in follows
 * the hooks it overrides, inherited overrides included, and hooks its form never calls
 * are named.
 */
class ReceiveModeTests {

	@Test
	void aClassThatOverridesNothingOrTheArrayFormTakesArrays() {
		assertThat(ReceiveMode.of(Plain.class)).isEqualTo(ReceiveMode.BYTES);
		assertThat(ReceiveMode.of(Arrays.class)).isEqualTo(ReceiveMode.BYTES);
		assertThat(ReceiveMode.uncalledOverrides(Arrays.class)).isEmpty();
	}

	@Test
	void aClassThatOverridesTheBufferFormTakesBuffersAlsoWhenItInheritsIt() {
		assertThat(ReceiveMode.of(Buffers.class)).isEqualTo(ReceiveMode.BUFFER);
		assertThat(ReceiveMode.of(InheritedBuffers.class)).isEqualTo(ReceiveMode.BUFFER);
		assertThat(ReceiveMode.uncalledOverrides(Buffers.class)).isEmpty();
	}

	@Test
	void aClassThatOverridesOnMessageFrameDataStreams() {
		assertThat(ReceiveMode.of(Streams.class)).isEqualTo(ReceiveMode.STREAM);
		assertThat(ReceiveMode.uncalledOverrides(Streams.class)).isEmpty();
	}

	@Test
	void hooksTheFormNeverCallsAreNamed() {
		assertThat(ReceiveMode.uncalledOverrides(StreamsAndTakesArrays.class))
			.containsExactly("onMessage(byte[], boolean)");
		assertThat(ReceiveMode.uncalledOverrides(EndsWithoutStreaming.class)).containsExactly("onMessageBegin(boolean)",
				"onMessageEnd()");
	}

	static class Plain extends WebSocketServerProtocol {

	}

	static class Arrays extends WebSocketServerProtocol {

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
		}

	}

	static class Buffers extends WebSocketServerProtocol {

		@Override
		public void onMessage(ByteBuffer payload, boolean isBinary) {
		}

	}

	static class InheritedBuffers extends Buffers {

	}

	static class Streams extends WebSocketServerProtocol {

		@Override
		public void onMessageBegin(boolean isBinary) {
		}

		@Override
		public void onMessageFrameData(ByteBuffer payload) {
		}

		@Override
		public void onMessageEnd() {
		}

	}

	static class StreamsAndTakesArrays extends Streams {

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
		}

	}

	static class EndsWithoutStreaming extends WebSocketServerProtocol {

		@Override
		public void onMessageBegin(boolean isBinary) {
		}

		@Override
		public void onMessageEnd() {
		}

	}

}
