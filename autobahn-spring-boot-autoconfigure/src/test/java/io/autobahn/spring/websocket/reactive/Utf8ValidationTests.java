package io.autobahn.spring.websocket.reactive;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Utf8Validation}: the ASCII shortcut looks at every byte, and the
 * result agrees with the JDK's strict decoder, whole or split at any point.
 */
class Utf8ValidationTests {

	@Test
	void asciiShortcutLooksAtEveryByteAroundTheEightByteSteps() {
		for (int length = 1; length < 20; length++) {
			for (int bad = 0; bad < length; bad++) {
				byte[] bytes = "abcdefghijklmnopqrstuvwxyz".substring(0, length).getBytes(StandardCharsets.US_ASCII);
				assertThat(Utf8Validation.validate(Utf8Validation.ACCEPT, ByteBuffer.wrap(bytes)))
					.isEqualTo(Utf8Validation.ACCEPT);
				bytes[bad] = (byte) 0xFF;
				assertThat(Utf8Validation.validate(Utf8Validation.ACCEPT, ByteBuffer.wrap(bytes)))
					.as("0xFF at %d of %d", bad, length)
					.isEqualTo(Utf8Validation.REJECT);
			}
		}
	}

	@Test
	void onlyTheRemainingBytesAreChecked() {
		ByteBuffer buffer = ByteBuffer.wrap(new byte[] { (byte) 0xFF, 'a', 'b', (byte) 0xFF });
		buffer.position(1).limit(3);
		assertThat(Utf8Validation.validate(Utf8Validation.ACCEPT, buffer)).isEqualTo(Utf8Validation.ACCEPT);
		assertThat(Utf8Validation.validate(Utf8Validation.ACCEPT, Unpooled.wrappedBuffer(buffer)))
			.isEqualTo(Utf8Validation.ACCEPT);
	}

	@Test
	void agreesWithTheJdkDecoderWholeAndSplitAnywhere() {
		SplittableRandom random = new SplittableRandom(18);
		byte[][] pieces = { "a".getBytes(StandardCharsets.UTF_8), "é".getBytes(StandardCharsets.UTF_8),
				"€".getBytes(StandardCharsets.UTF_8), "😀".getBytes(StandardCharsets.UTF_8),
				"plain ascii text".getBytes(StandardCharsets.UTF_8) };
		byte[] oddities = { (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC1, (byte) 0xE0, (byte) 0xED, (byte) 0xF4,
				(byte) 0xF5, (byte) 0xFF, (byte) 0xA0, (byte) 0x90 };
		for (int round = 0; round < 5000; round++) {
			ByteBuffer text = ByteBuffer.allocate(256);
			int count = random.nextInt(1, 12);
			for (int i = 0; i < count; i++) {
				if (random.nextInt(8) == 0) {
					text.put(oddities[random.nextInt(oddities.length)]);
				}
				else {
					text.put(pieces[random.nextInt(pieces.length)]);
				}
			}
			byte[] bytes = new byte[text.position()];
			text.flip().get(bytes);
			boolean valid = isValid(bytes);
			int whole = Utf8Validation.validate(Utf8Validation.ACCEPT, ByteBuffer.wrap(bytes));
			assertThat(whole == Utf8Validation.ACCEPT).as("%s", HexFormat.of().formatHex(bytes)).isEqualTo(valid);
			int split = random.nextInt(bytes.length + 1);
			int state = Utf8Validation.validate(Utf8Validation.ACCEPT, ByteBuffer.wrap(bytes, 0, split));
			if (state != Utf8Validation.REJECT) {
				state = Utf8Validation.validate(state, ByteBuffer.wrap(bytes, split, bytes.length - split));
			}
			assertThat(state == Utf8Validation.ACCEPT).as("split at %d", split).isEqualTo(valid);
		}
	}

	private static boolean isValid(byte[] bytes) {
		try {
			StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

}
