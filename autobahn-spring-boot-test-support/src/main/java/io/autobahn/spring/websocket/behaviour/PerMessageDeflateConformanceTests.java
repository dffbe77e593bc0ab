package io.autobahn.spring.websocket.behaviour;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.Conformance;
import io.autobahn.spring.websocket.test.ConformanceReport;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.PerMessageDeflate;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;
import io.autobahn.spring.websocket.test.StackProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 7692 permessage-deflate negotiation, one offer per case: a plain offer, the context
 * takeover parameters, and every {@code server_max_window_bits} and
 * {@code client_max_window_bits} from 9 to 15. The server either accepts with a
 * {@code 101} whose response parameters are valid for the offer (7.1), after which three
 * messages echo compressed both ways: the client compresses within the negotiated window
 * and context rules, and every reply inflates to what was sent with an inflater of the
 * negotiated server window, fresh per message when the server answered
 * {@code server_no_context_takeover} (the messages repeat data just beyond the window and
 * across messages, so a server that does not keep its word sends what such an inflater
 * cannot restore); or, on a servlet container, declines the offer with a {@code 101}
 * without the extension and echoes uncompressed. Reactor Netty must accept every offer
 * but {@code server_max_window_bits=8}, which zlib cannot keep to. An offer with an
 * unknown parameter or an invalid value is declined, and so is any offer to an endpoint
 * with {@code per-message-compression=false}. Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = PerMessageDeflateConformanceTests.DeflateApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "autobahn.websocket.endpoints.deflate-off.per-message-compression=false")
class PerMessageDeflateConformanceTests extends AbstractBehaviourTests {

	private static final String SERVER_NO_CONTEXT = "server_no_context_takeover";

	private static final String CLIENT_NO_CONTEXT = "client_no_context_takeover";

	private static final String SERVER_MAX_WINDOW = "server_max_window_bits";

	private static final String CLIENT_MAX_WINDOW = "client_max_window_bits";

	private static final int MAX_WINDOW_BITS = 15;

	private static final int RSV1 = 0b100;

	@Test
	@Conformance("RFC 7692 7.1")
	void plainOffer() throws Exception {
		exchange("permessage-deflate");
	}

	@Test
	@Conformance("RFC 7692 7.1.2.2")
	void clientMaxWindowBitsWithoutValue() throws Exception {
		exchange("permessage-deflate; client_max_window_bits");
	}

	@Test
	@Conformance("RFC 7692 7.1.1.1")
	void serverNoContextTakeover() throws Exception {
		exchange("permessage-deflate; server_no_context_takeover");
	}

	@Test
	@Conformance("RFC 7692 7.1.1.2")
	void clientNoContextTakeover() throws Exception {
		exchange("permessage-deflate; client_no_context_takeover");
	}

	@Test
	@Conformance("RFC 7692 7.1.1")
	void serverAndClientNoContextTakeover() throws Exception {
		exchange("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
	}

	@ParameterizedTest(name = "server_max_window_bits={0}")
	@ValueSource(ints = { 9, 10, 11, 12, 13, 14, 15 })
	@Conformance("RFC 7692 7.1.2.1")
	void serverMaxWindowBits(int bits) throws Exception {
		exchange("permessage-deflate; server_max_window_bits=" + bits);
	}

	@Test
	@Conformance("RFC 7692 7.1.2.1")
	void serverMaxWindowBits8() throws Exception {
		// zlib's raw deflate has no 8-bit window, so no stack can keep to it: declined
		// everywhere.
		exchange("permessage-deflate; server_max_window_bits=8", true);
	}

	@ParameterizedTest(name = "client_max_window_bits={0}")
	@ValueSource(ints = { 9, 10, 11, 12, 13, 14, 15 })
	@Conformance("RFC 7692 7.1.2.2")
	void clientMaxWindowBits(int bits) throws Exception {
		exchange("permessage-deflate; client_max_window_bits=" + bits);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "unknown_parameter", "server_max_window_bits", "server_max_window_bits=7",
			"server_max_window_bits=16", "server_max_window_bits=abc", "client_max_window_bits=7",
			"client_max_window_bits=16", "server_no_context_takeover=1" })
	@Conformance("RFC 7692 7.1")
	void invalidOfferIsDeclined(String parameter) throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/deflate",
				Map.of("Sec-WebSocket-Extensions", "permessage-deflate; " + parameter))) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			String answer = raw.handshake().header("Sec-WebSocket-Extensions");
			ConformanceReport.observe((answer != null) ? answer : "declined");
			assertThat(answer).isNull();
			echo(raw, null, null, MAX_WINDOW_BITS);
		}
	}

	@Test
	@Conformance("RFC 6455 9.1")
	void noOfferNoExtension() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/deflate")) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			assertThat(raw.handshake().header("Sec-WebSocket-Extensions")).isNull();
		}
	}

	@Test
	@Conformance("RFC 7692 5")
	void offerIsDeclinedWhenCompressionIsOff() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/deflate-off",
				Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"))) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			assertThat(raw.handshake().header("Sec-WebSocket-Extensions")).isNull();
			ConformanceReport.observe("declined");
			echo(raw, null, null, MAX_WINDOW_BITS);
		}
	}

	private void exchange(String offer) throws Exception {
		exchange(offer, false);
	}

	private void exchange(String offer, boolean mayDeclineOnReactorNetty) throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/deflate",
				Map.of("Sec-WebSocket-Extensions", offer))) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			String answer = raw.handshake().header("Sec-WebSocket-Extensions");
			ConformanceReport.observe((answer != null) ? answer : "declined");
			if (answer == null) {
				assertThat(StackProfile.current().acceptsEveryDeflateOffer() && !mayDeclineOnReactorNetty)
					.as(StackProfile.current().name() + " accepts every offer; declined: " + offer)
					.isFalse();
				echo(raw, null, null, MAX_WINDOW_BITS);
				return;
			}
			Map<String, @Nullable String> offered = parameters(offer);
			Map<String, @Nullable String> accepted = parameters(answer);
			assertValidResponse(offered, accepted);
			int serverWindow = windowBits(accepted.get(SERVER_MAX_WINDOW));
			int clientWindow = Math.min(windowBits(offered.get(CLIENT_MAX_WINDOW)),
					windowBits(accepted.get(CLIENT_MAX_WINDOW)));
			boolean clientNoContext = offered.containsKey(CLIENT_NO_CONTEXT) || accepted.containsKey(CLIENT_NO_CONTEXT);
			boolean serverNoContext = accepted.containsKey(SERVER_NO_CONTEXT);
			echo(raw, PerMessageDeflate.compressor(clientWindow, clientNoContext),
					PerMessageDeflate.decompressor(serverWindow, serverNoContext), serverWindow);
		}
	}

	/**
	 * The response to an offer (7.1): known parameters once each, values and presence as
	 * the offer allows.
	 */
	private static void assertValidResponse(Map<String, @Nullable String> offered,
			Map<String, @Nullable String> accepted) {
		assertThat(accepted.keySet()).as("response parameters")
			.isSubsetOf(SERVER_NO_CONTEXT, CLIENT_NO_CONTEXT, SERVER_MAX_WINDOW, CLIENT_MAX_WINDOW);
		for (String flag : List.of(SERVER_NO_CONTEXT, CLIENT_NO_CONTEXT)) {
			if (accepted.containsKey(flag)) {
				assertThat(accepted.get(flag)).as(flag + " has no value").isNull();
			}
		}
		if (offered.containsKey(SERVER_NO_CONTEXT)) {
			assertThat(accepted).as("7.1.1.1: an accepted server_no_context_takeover is in the response")
				.containsKey(SERVER_NO_CONTEXT);
		}
		if (offered.containsKey(SERVER_MAX_WINDOW)) {
			assertThat(accepted).as("7.1.2.1: an accepted server_max_window_bits is in the response")
				.containsKey(SERVER_MAX_WINDOW);
		}
		if (accepted.containsKey(SERVER_MAX_WINDOW)) {
			int bits = windowValue(accepted.get(SERVER_MAX_WINDOW));
			if (offered.containsKey(SERVER_MAX_WINDOW)) {
				assertThat(bits).as("7.1.2.1: server_max_window_bits at most the offered value")
					.isLessThanOrEqualTo(windowValue(offered.get(SERVER_MAX_WINDOW)));
			}
		}
		if (accepted.containsKey(CLIENT_MAX_WINDOW)) {
			assertThat(offered).as("7.1.2.2: client_max_window_bits only in answer to an offer of it")
				.containsKey(CLIENT_MAX_WINDOW);
			windowValue(accepted.get(CLIENT_MAX_WINDOW));
		}
	}

	/**
	 * Send three messages (the second as two fragments, RSV1 on the first only) and check
	 * that each comes back as sent: compressed both ways when a compressor is given,
	 * plain otherwise.
	 */
	private void echo(RawWebSocket raw, @Nullable PerMessageDeflate compressor,
			@Nullable PerMessageDeflate decompressor, int serverWindow) throws Exception {
		byte[] message = message(serverWindow);
		int rsv = (compressor != null) ? RSV1 : 0;
		for (int i = 0; i < 3; i++) {
			int opcode = (i == 1) ? RawWebSocket.BINARY : RawWebSocket.TEXT;
			byte[] payload = (compressor != null) ? compressor.compress(message) : message;
			if (i == 1) {
				int half = payload.length / 2;
				raw.sendFrame(false, rsv, opcode, Arrays.copyOfRange(payload, 0, half));
				raw.sendFrame(true, 0, RawWebSocket.CONTINUATION, Arrays.copyOfRange(payload, half, payload.length));
			}
			else {
				raw.sendFrame(true, rsv, opcode, payload);
			}
			RawWebSocket.Frame reply = raw.readMessage();
			assertThat(reply.opcode()).as("reply %d", i + 1).isEqualTo(opcode);
			assertThat(reply.rsv()).as("reply %d RSV bits", i + 1).isEqualTo(rsv);
			byte[] echoed = (decompressor != null) ? decompressor.decompress(reply.payload()) : reply.payload();
			assertThat(echoed).as("reply %d, inflated in a %d-bit window", i + 1, serverWindow).isEqualTo(message);
		}
		raw.sendClose(1000, "");
		assertThat(raw.awaitCloseFrame(TIMEOUT).closeCode()).isEqualTo(1000);
	}

	/**
	 * ASCII text of pseudo-random letters laid out as {@code A C D C A A} for a window of
	 * {@code 2^bits}: {@code A} (a quarter window) repeats within the window and again at
	 * the start of the next message; {@code C} (three quarters) repeats 1.25 windows
	 * back, out of reach for a compressor that keeps to the window.
	 */
	private static byte[] message(int bits) {
		int window = 1 << bits;
		Random random = new Random(bits);
		byte[] a = letters(random, window / 4);
		byte[] c = letters(random, window * 3 / 4);
		byte[] d = letters(random, window / 2);
		byte[] message = new byte[0];
		for (byte[] part : List.of(a, c, d, c, a, a)) {
			int start = message.length;
			message = Arrays.copyOf(message, start + part.length);
			System.arraycopy(part, 0, message, start, part.length);
		}
		return message;
	}

	private static byte[] letters(Random random, int length) {
		byte[] letters = new byte[length];
		for (int i = 0; i < length; i++) {
			letters[i] = (byte) ('a' + random.nextInt(26));
		}
		return letters;
	}

	/**
	 * The parameters of a single permessage-deflate offer or response, by lower-case
	 * name, quotes removed; a parameter without a value maps to {@code null}.
	 */
	private static Map<String, @Nullable String> parameters(String extension) {
		assertThat(extension).as("a single extension").doesNotContain(",");
		String[] parts = extension.split(";");
		assertThat(parts[0].trim()).isEqualTo("permessage-deflate");
		Map<String, @Nullable String> parameters = new LinkedHashMap<>();
		for (int i = 1; i < parts.length; i++) {
			String[] pair = parts[i].trim().split("=", 2);
			String name = pair[0].trim().toLowerCase(Locale.ROOT);
			String value = (pair.length > 1) ? pair[1].trim().replace("\"", "") : null;
			assertThat(parameters).as("parameter %s given once", name).doesNotContainKey(name);
			parameters.put(name, value);
		}
		return parameters;
	}

	private static int windowValue(@Nullable String value) {
		assertThat(value).as("a window size").isNotNull().matches("[89]|1[0-5]");
		return Integer.parseInt(value);
	}

	private static int windowBits(@Nullable String value) {
		return (value != null) ? windowValue(value) : MAX_WINDOW_BITS;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, DeflateProtocol.class, DeflateOffProtocol.class })
	static class DeflateApplication {

	}

	@WebSocketEndpoint("/deflate")
	static class DeflateProtocol extends RecordingProtocol {

		DeflateProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

	@WebSocketEndpoint(path = "/deflate-off", name = "deflate-off")
	static class DeflateOffProtocol extends RecordingProtocol {

		DeflateOffProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

}
