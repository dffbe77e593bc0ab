package io.autobahn.spring.websocket.behaviour;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.autobahn.spring.websocket.test.Conformance;
import io.autobahn.spring.websocket.test.RawWebSocket;

/**
 * RFC 6455 8.1: text must be valid UTF-8. Invalid sequences fail the connection with
 * 1007, in a whole message, in a fragmented one split inside a code point, and in a close
 * reason (where Tomcat answers 1002); valid UTF-8 split across two fragments at every
 * byte position, and every code point at the edges of the encoding, comes back intact.
 * Stack-neutral: subclassed per container.
 */
class Utf8ConformanceTests extends AbstractConformanceTests {

	/** One-, two-, three- and four-byte code points. */
	private static final String MIXED = "Hello-µ@ßöäüàá-UTF-8!! κόσμε 𝄞";

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource({ "byte 0xFF, ff", "lone continuation byte, 80", "overlong encoding of a slash, c0af",
			"overlong three-byte encoding, e080af", "UTF-16 surrogate U+D800, eda080",
			"code point above U+10FFFF, f4908080", "sequence cut short at the end, 48ce",
			"start byte followed by ASCII, ce41" })
	@Conformance("RFC 6455 8.1")
	void invalidUtf8InATextMessageFailsTheConnectionWith1007(String what, String hex) throws Exception {
		try (RawWebSocket raw = open()) {
			raw.sendFrame(true, 0, RawWebSocket.TEXT, HexFormat.of().parseHex(hex));
			assertFailed(raw, 1007);
		}
	}

	@Test
	@Conformance("RFC 6455 8.1")
	void invalidUtf8SplitInsideACodePointAcrossFragmentsFailsTheConnectionWith1007() throws Exception {
		try (RawWebSocket raw = open()) {
			// κ is CE BA: the first fragment ends after CE, the second goes on with an
			// ASCII byte.
			raw.sendFrame(false, 0, RawWebSocket.TEXT, HexFormat.of().parseHex("ce"));
			raw.sendFrame(true, 0, RawWebSocket.CONTINUATION, HexFormat.of().parseHex("41"));
			assertFailed(raw, 1007);
		}
	}

	@Test
	@Conformance("RFC 6455 8.1")
	void invalidUtf8InAFragmentBeforeTheLastFailsTheConnectionWith1007() throws Exception {
		try (RawWebSocket raw = open()) {
			raw.sendFrame(false, 0, RawWebSocket.TEXT, "valid start ".getBytes(StandardCharsets.UTF_8));
			raw.sendFrame(false, 0, RawWebSocket.CONTINUATION, HexFormat.of().parseHex("eda080"));
			raw.sendFrame(true, 0, RawWebSocket.CONTINUATION, "valid end".getBytes(StandardCharsets.UTF_8));
			assertFailed(raw, 1007);
		}
	}

	/**
	 * The connection must be failed; Tomcat does so with 1002 rather than 1007, which the
	 * Autobahn|Testsuite accepts too (case 7.5.1), so both pass and the report says
	 * which.
	 */
	@Test
	@Conformance("RFC 6455 5.5.1, 8.1")
	void invalidUtf8InACloseReasonFailsTheConnection() throws Exception {
		try (RawWebSocket raw = open()) {
			// Code 1000, then CE FF: a two-byte start without its continuation byte.
			raw.sendFrame(true, 0, RawWebSocket.CLOSE, HexFormat.of().parseHex("03e8ceff"));
			assertFailed(raw, 1007, 1002);
		}
	}

	@Test
	@Conformance("RFC 6455 5.4, 8.1")
	void validUtf8SplitAcrossTwoFragmentsAtEveryBytePositionIsAccepted() throws Exception {
		byte[] utf8 = MIXED.getBytes(StandardCharsets.UTF_8);
		try (RawWebSocket raw = open()) {
			for (int split = 1; split < utf8.length; split++) {
				raw.sendFrame(false, 0, RawWebSocket.TEXT, Arrays.copyOfRange(utf8, 0, split));
				raw.sendFrame(true, 0, RawWebSocket.CONTINUATION, Arrays.copyOfRange(utf8, split, utf8.length));
				assertEchoed(raw, RawWebSocket.TEXT, utf8);
			}
		}
	}

	@Test
	@Conformance("RFC 6455 5.4, 8.1")
	void validUtf8InOneByteFragmentsIsAccepted() throws Exception {
		byte[] utf8 = MIXED.getBytes(StandardCharsets.UTF_8);
		try (RawWebSocket raw = open()) {
			for (int i = 0; i < utf8.length; i++) {
				raw.sendFrame(i == utf8.length - 1, 0, (i == 0) ? RawWebSocket.TEXT : RawWebSocket.CONTINUATION,
						new byte[] { utf8[i] });
			}
			assertEchoed(raw, RawWebSocket.TEXT, utf8);
		}
	}

	@ParameterizedTest(name = "U+{0}")
	@ValueSource(
			strings = { "0000", "007F", "0080", "07FF", "0800", "D7FF", "E000", "FFFD", "FFFF", "10000", "10FFFF" })
	@Conformance("RFC 6455 8.1")
	void codePointsAtTheEdgesOfTheEncodingAreAccepted(String codePoint) throws Exception {
		byte[] utf8 = ("<" + Character.toString(Integer.parseInt(codePoint, 16)) + ">")
			.getBytes(StandardCharsets.UTF_8);
		try (RawWebSocket raw = open()) {
			raw.sendFrame(true, 0, RawWebSocket.TEXT, utf8);
			assertEchoed(raw, RawWebSocket.TEXT, utf8);
		}
	}

}
