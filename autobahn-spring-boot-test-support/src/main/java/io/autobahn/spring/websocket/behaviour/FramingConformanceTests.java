package io.autobahn.spring.websocket.behaviour;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.autobahn.spring.websocket.test.Conformance;
import io.autobahn.spring.websocket.test.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 6455 framing, frame by frame from a plain socket: text and binary messages of the
 * sizes where the length encoding changes (0, 125, 126, 65535, 65536 bytes and 1 MiB)
 * come back intact whole and in fragments of 1 byte and 64 KiB, pings between fragments
 * are answered without disturbing the message, and every frame no conforming client sends
 * (reserved bits without an extension, reserved opcodes, a continuation with nothing to
 * continue, a new message inside a fragmented one, an unmasked frame) fails the
 * connection with 1002 or drops it. Stack-neutral: subclassed per container.
 */
class FramingConformanceTests extends AbstractConformanceTests {

	private static final int[] SIZES = { 0, 125, 126, 65535, 65536, 1024 * 1024 };

	@ParameterizedTest(name = "{0} message of {1} bytes")
	@MethodSource("typesAndSizes")
	@Conformance("RFC 6455 5.2, 5.6")
	void messageIsEchoedIntact(String type, int size) throws Exception {
		try (RawWebSocket raw = open()) {
			byte[] payload = payload(type, size);
			raw.sendFrame(true, 0, opcode(type), payload);
			assertEchoed(raw, opcode(type), payload);
		}
	}

	@ParameterizedTest(name = "{0} message of {1} bytes in {2}-byte fragments")
	@MethodSource("typesSizesAndFragments")
	@Conformance("RFC 6455 5.4")
	void fragmentedMessageIsEchoedIntact(String type, int size, int fragmentSize) throws Exception {
		try (RawWebSocket raw = open()) {
			byte[] payload = payload(type, size);
			sendFragmented(raw, opcode(type), payload, fragmentSize, null);
			assertEchoed(raw, opcode(type), payload);
		}
	}

	@ParameterizedTest(name = "{0} message in 4 fragments with a ping after each of the first 3")
	@ValueSource(strings = { "text", "binary" })
	@Conformance("RFC 6455 5.4, 5.5.2, 5.5.3")
	void pingsBetweenFragmentsAreAnsweredAndTheMessageStaysIntact(String type) throws Exception {
		try (RawWebSocket raw = open()) {
			byte[] payload = payload(type, 4 * 16384);
			sendFragmented(raw, opcode(type), payload, 16384, "between fragments".getBytes(StandardCharsets.UTF_8));
			for (int i = 0; i < 3; i++) {
				RawWebSocket.Frame pong = raw.readFrame();
				assertThat(pong.opcode()).as("pong %d before the echo", i).isEqualTo(RawWebSocket.PONG);
				assertThat(pong.text()).isEqualTo("between fragments " + i);
			}
			assertEchoed(raw, opcode(type), payload);
		}
	}

	@ParameterizedTest(name = "ping with {0} bytes")
	@ValueSource(ints = { 0, 125 })
	@Conformance("RFC 6455 5.5.2, 5.5.3")
	void pingIsAnsweredWithAPongOfTheSamePayload(int size) throws Exception {
		try (RawWebSocket raw = open()) {
			byte[] payload = payload("binary", size);
			raw.sendFrame(true, 0, RawWebSocket.PING, payload);
			RawWebSocket.Frame pong = raw.readFrame();
			assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
			assertThat(pong.payload()).isEqualTo(payload);
		}
	}

	@Test
	@Conformance("RFC 6455 5.5")
	void pingOf126BytesFailsTheConnection() throws Exception {
		try (RawWebSocket raw = open()) {
			raw.sendFrame(true, 0, RawWebSocket.PING, new byte[126]);
			assertFailed(raw, 1002);
		}
	}

	@Test
	@Conformance("RFC 6455 5.5")
	void fragmentedPingFailsTheConnection() throws Exception {
		try (RawWebSocket raw = open()) {
			raw.sendFrame(false, 0, RawWebSocket.PING, "a".getBytes(StandardCharsets.UTF_8));
			raw.sendFrame(true, 0, RawWebSocket.CONTINUATION, "b".getBytes(StandardCharsets.UTF_8));
			assertFailed(raw, 1002);
		}
	}

	@Test
	@Conformance("RFC 6455 5.5.3")
	void unsolicitedPongIsIgnored() throws Exception {
		try (RawWebSocket raw = open()) {
			raw.sendPong("unsolicited".getBytes(StandardCharsets.UTF_8));
			byte[] payload = "still echoing".getBytes(StandardCharsets.UTF_8);
			raw.sendFrame(true, 0, RawWebSocket.TEXT, payload);
			assertEchoed(raw, RawWebSocket.TEXT, payload);
		}
	}

	@ParameterizedTest(name = "RSV bits {0}")
	@ValueSource(ints = { 0b001, 0b010, 0b011, 0b100, 0b101, 0b110, 0b111 })
	@Conformance("RFC 6455 5.2")
	void reservedBitsWithoutAnExtensionFailTheConnection(int rsv) throws Exception {
		try (RawWebSocket raw = open()) {
			raw.sendFrame(true, rsv, RawWebSocket.TEXT, "reserved".getBytes(StandardCharsets.UTF_8));
			assertFailed(raw, 1002);
		}
	}

	@ParameterizedTest(name = "opcode {0}")
	@ValueSource(ints = { 3, 4, 5, 6, 7, 11, 12, 13, 14, 15 })
	@Conformance("RFC 6455 5.2")
	void reservedOpcodeFailsTheConnection(int opcode) throws Exception {
		try (RawWebSocket raw = open()) {
			raw.sendFrame(true, 0, opcode, "reserved".getBytes(StandardCharsets.UTF_8));
			assertFailed(raw, 1002);
		}
	}

	@Test
	@Conformance("RFC 6455 5.4")
	void continuationWithNothingToContinueFailsTheConnection() throws Exception {
		try (RawWebSocket raw = open()) {
			raw.sendFrame(true, 0, RawWebSocket.CONTINUATION, "orphan".getBytes(StandardCharsets.UTF_8));
			assertFailed(raw, 1002);
		}
	}

	@Test
	@Conformance("RFC 6455 5.4")
	void newMessageInsideAFragmentedOneFailsTheConnection() throws Exception {
		try (RawWebSocket raw = open()) {
			raw.sendFrame(false, 0, RawWebSocket.TEXT, "first ".getBytes(StandardCharsets.UTF_8));
			raw.sendFrame(true, 0, RawWebSocket.TEXT, "second".getBytes(StandardCharsets.UTF_8));
			assertFailed(raw, 1002);
		}
	}

	@Test
	@Conformance("RFC 6455 5.1, 5.3")
	void unmaskedClientFrameFailsTheConnection() throws Exception {
		try (RawWebSocket raw = open()) {
			raw.sendFrame(true, 0, RawWebSocket.TEXT, "unmasked".getBytes(StandardCharsets.UTF_8), false);
			assertFailed(raw, 1002);
		}
	}

	static Stream<Arguments> typesAndSizes() {
		return Stream.of("text", "binary")
			.flatMap((type) -> IntStream.of(SIZES).mapToObj((size) -> Arguments.of(type, size)));
	}

	static Stream<Arguments> typesSizesAndFragments() {
		return typesAndSizes().flatMap((args) -> IntStream.of(1, 65536)
			.filter((fragment) -> (int) args.get()[1] > fragment)
			.mapToObj((fragment) -> Arguments.of(args.get()[0], args.get()[1], fragment)));
	}

	/**
	 * Send the payload in fragments of the given size; with a ping payload, a ping
	 * (numbered) follows every fragment but the last.
	 */
	private static void sendFragmented(RawWebSocket raw, int opcode, byte[] payload, int fragmentSize,
			@Nullable byte[] ping) throws Exception {
		int count = 0;
		for (int start = 0; start < payload.length; start += fragmentSize, count++) {
			int end = Math.min(payload.length, start + fragmentSize);
			raw.sendFrame(end == payload.length, 0, (start == 0) ? opcode : RawWebSocket.CONTINUATION,
					Arrays.copyOfRange(payload, start, end));
			if (ping != null && end < payload.length) {
				raw.sendFrame(true, 0, RawWebSocket.PING,
						(new String(ping, StandardCharsets.UTF_8) + " " + count).getBytes(StandardCharsets.UTF_8));
			}
		}
	}

	private static int opcode(String type) {
		return type.equals("text") ? RawWebSocket.TEXT : RawWebSocket.BINARY;
	}

	/** ASCII text of the size for text, random bytes for binary. */
	private static byte[] payload(String type, int size) {
		byte[] payload = new byte[size];
		if (type.equals("text")) {
			for (int i = 0; i < size; i++) {
				payload[i] = (byte) ('a' + i % 26);
			}
		}
		else {
			ThreadLocalRandom.current().nextBytes(payload);
		}
		return payload;
	}

}
