package io.autobahn.spring.websocket.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.autobahn.spring.websocket.ConnectionSelector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The envelope's binary form: what is encoded decodes to the same, and what is not an
 * envelope of this version is rejected with a reason, never half-read.
 */
class ClusterEnvelopeTests {

	@Test
	void aBroadcastToOneEndpointWithASelectorComesBackTheSame() {
		ConnectionSelector selector = ConnectionSelector.attribute("room", "kitchen")
			.and(ConnectionSelector.attribute("user", "änne"));
		byte[] bytes = ClusterEnvelope.encodeBroadcast("instance-1", 42, "chat", selector, false,
				ByteBuffer.wrap("hello ✓".getBytes(StandardCharsets.UTF_8)));
		ClusterEnvelope envelope = ClusterEnvelope.decode(bytes);
		assertThat(envelope.heartbeat()).isFalse();
		assertThat(envelope.origin()).isEqualTo("instance-1");
		assertThat(envelope.sequence()).isEqualTo(42);
		assertThat(envelope.endpoint()).isEqualTo("chat");
		assertThat(envelope.selector()).isEqualTo(selector);
		assertThat(envelope.binary()).isFalse();
		assertThat(new String(envelope.payload(), StandardCharsets.UTF_8)).isEqualTo("hello ✓");
	}

	@Test
	void aBinaryBroadcastToEveryEndpointComesBackTheSame() {
		byte[] payload = new byte[70_000];
		new Random(1).nextBytes(payload);
		ClusterEnvelope envelope = ClusterEnvelope.decode(ClusterEnvelope.encodeBroadcast("i", Long.MAX_VALUE, null,
				ConnectionSelector.all(), true, ByteBuffer.wrap(payload).asReadOnlyBuffer()));
		assertThat(envelope.endpoint()).isNull();
		assertThat(envelope.selector()).isEqualTo(ConnectionSelector.all());
		assertThat(envelope.binary()).isTrue();
		assertThat(envelope.sequence()).isEqualTo(Long.MAX_VALUE);
		assertThat(envelope.payload()).isEqualTo(payload);
	}

	@Test
	void onlyTheBroadcastersBufferRemainingBytesAreEncodedAndItsPositionIsLeftAlone() {
		ByteBuffer payload = ByteBuffer.wrap("xxabcxx".getBytes(StandardCharsets.US_ASCII), 2, 3);
		ClusterEnvelope envelope = ClusterEnvelope
			.decode(ClusterEnvelope.encodeBroadcast("i", 1, "e", ConnectionSelector.all(), false, payload));
		assertThat(new String(envelope.payload(), StandardCharsets.US_ASCII)).isEqualTo("abc");
		assertThat(payload.position()).isEqualTo(2);
	}

	@Test
	void anEmptyPayloadTravels() {
		ClusterEnvelope envelope = ClusterEnvelope.decode(
				ClusterEnvelope.encodeBroadcast("i", 1, "e", ConnectionSelector.all(), false, ByteBuffer.allocate(0)));
		assertThat(envelope.payload()).isEmpty();
	}

	@Test
	void aHeartbeatComesBackTheSame() {
		ClusterEnvelope envelope = ClusterEnvelope.decode(ClusterEnvelope.heartbeat("instance-2", 7, 1234).encode());
		assertThat(envelope.heartbeat()).isTrue();
		assertThat(envelope.origin()).isEqualTo("instance-2");
		assertThat(envelope.sequence()).isEqualTo(7);
		assertThat(envelope.connections()).isEqualTo(1234);
	}

	@Test
	void garbageIsRejected() {
		assertRejected(new byte[0], "truncated");
		assertRejected("hello".getBytes(StandardCharsets.US_ASCII), "version");
		assertRejected(new byte[] { ClusterEnvelope.VERSION, 9 }, "kind");
		assertRejected(new byte[] { ClusterEnvelope.VERSION, 0, (byte) 0xFF, (byte) 0xFF, 'a' }, "string length");
	}

	@Test
	void everyTruncationOfAValidEnvelopeIsRejected() {
		byte[] bytes = ClusterEnvelope.encodeBroadcast("instance", 3, "chat", ConnectionSelector.attribute("k", "v"),
				false, ByteBuffer.wrap("payload".getBytes(StandardCharsets.UTF_8)));
		for (int length = 0; length < bytes.length; length++) {
			byte[] truncated = Arrays.copyOf(bytes, length);
			assertThatIllegalArgumentException().as("%d of %d bytes", length, bytes.length)
				.isThrownBy(() -> ClusterEnvelope.decode(truncated));
		}
	}

	@Test
	void bytesAfterTheEnvelopeAreRejected() {
		byte[] bytes = ClusterEnvelope.heartbeat("i", 1, 1).encode();
		assertRejected(Arrays.copyOf(bytes, bytes.length + 1), "after the envelope");
	}

	@Test
	void unknownFlagsAreRejected() {
		byte[] bytes = ClusterEnvelope.encodeBroadcast("i", 1, null, ConnectionSelector.all(), true,
				ByteBuffer.allocate(1));
		bytes[2 + 2 + 1 + 8] |= 0x40;
		assertRejected(bytes, "flags");
	}

	@Test
	void aTextPayloadThatIsNotUtf8IsRejected() {
		byte[] bytes = ClusterEnvelope.encodeBroadcast("i", 1, "e", ConnectionSelector.all(), false,
				ByteBuffer.wrap(new byte[] { 'o', 'k', (byte) 0xC3 }));
		assertRejected(bytes, "text payload is not UTF-8");
		// The same bytes as a binary message are fine.
		bytes[2 + 2 + 1 + 8] |= 1;
		assertThat(ClusterEnvelope.decode(bytes).binary()).isTrue();
	}

	@Test
	void aPayloadLengthPastTheEndIsRejectedBeforeAnythingIsAllocated() {
		byte[] bytes = ClusterEnvelope.encodeBroadcast("i", 1, "e", ConnectionSelector.all(), true,
				ByteBuffer.allocate(0));
		ByteBuffer.wrap(bytes).putInt(bytes.length - 4, Integer.MAX_VALUE);
		assertRejected(bytes, "payload length " + Integer.MAX_VALUE);
	}

	@Test
	void aStringTooLongToTravelIsRefusedWhenEncoding() {
		String key = "k".repeat(70_000);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ClusterEnvelope.encodeBroadcast("i", 1, "e", ConnectionSelector.attribute(key, "v"),
					false, ByteBuffer.allocate(0)))
			.withMessageContaining("cannot travel");
	}

	private static void assertRejected(byte[] bytes, String reason) {
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterEnvelope.decode(bytes))
			.withMessageContaining(reason);
	}

}
