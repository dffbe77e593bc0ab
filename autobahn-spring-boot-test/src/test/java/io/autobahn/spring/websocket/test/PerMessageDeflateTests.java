package io.autobahn.spring.websocket.test;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both directions of RFC 7692's transformation round-trip, with and without context
 * takeover, on the JDK's zlib (15-bit window) and on jzlib (smaller windows); context
 * takeover makes a repeated message shorter on the wire.
 */
class PerMessageDeflateTests {

	@ParameterizedTest
	@CsvSource({ "15, false", "15, true", "9, false", "9, true" })
	void messagesRoundTrip(int windowBits, boolean noContextTakeover) throws Exception {
		PerMessageDeflate compressor = PerMessageDeflate.compressor(windowBits, noContextTakeover);
		PerMessageDeflate decompressor = PerMessageDeflate.decompressor(windowBits, noContextTakeover);
		byte[] message = "a message that repeats, a message that repeats".repeat(400).getBytes(StandardCharsets.UTF_8);
		byte[] first = compressor.compress(message);
		byte[] second = compressor.compress(message);
		assertThat(first.length).isLessThan(message.length / 10);
		assertThat(decompressor.decompress(first)).isEqualTo(message);
		assertThat(decompressor.decompress(second)).isEqualTo(message);
		if (noContextTakeover) {
			assertThat(second).isEqualTo(first);
		}
		else {
			assertThat(second.length).isLessThan(first.length);
		}
		assertThat(decompressor.decompress(compressor.compress(new byte[0]))).isEmpty();
	}

}
