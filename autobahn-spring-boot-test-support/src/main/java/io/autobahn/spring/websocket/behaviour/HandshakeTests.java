package io.autobahn.spring.websocket.behaviour;

import java.net.http.WebSocketHandshakeException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionDeny;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.test.Conformance;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.LogLines;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What {@code onConnect} decides ends up on the wire: a {@link ConnectionDeny} answers
 * its HTTP status with the reason as body and never opens a connection (no
 * {@code onOpen}, no {@code onClose}); the headers of a {@link ConnectionAccept} are on
 * the {@code 101}; a chosen subprotocol is answered and seen by the protocol, one the
 * client did not offer or any other exception answers 500 (and is logged); the endpoint's
 * configured {@code subprotocols} are picked from the client's offer when
 * {@code onConnect} picks none; and the handshake checks (method, Upgrade, version, key)
 * answer before {@code onConnect} runs. Subclassed per container.
 */
@SpringBootTest(classes = HandshakeTests.HandshakeApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "autobahn.websocket.endpoints.negotiating.subprotocols=wamp.2.json,mqtt")
@ExtendWith(OutputCaptureExtension.class)
class HandshakeTests extends AbstractBehaviourTests {

	@ParameterizedTest
	@CsvSource({ "403, not you", "503, come back later" })
	void connectionDenyAnswersItsStatusWithTheReasonAsBody(int code, String reason) throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port,
				"/deny?code=" + code + "&reason=" + reason.replace(" ", "%20"))) {
			assertThat(raw.handshake().status()).isEqualTo(code);
			assertThat(raw.handshake().body()).isEqualTo(reason);
			assertThat(raw.handshake().header("Sec-WebSocket-Accept")).isNull();
			assertThat(raw.handshake().header("Upgrade")).isNull();
		}
	}

	@ParameterizedTest
	@CsvSource({ "403", "503" })
	void connectionDenyFailsTheJdkClientsHandshakeWithThatStatus(int code) {
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> JdkClient.connect(this.port, "/deny?code=" + code + "&reason=no"))
			.havingCause()
			.isInstanceOfSatisfying(WebSocketHandshakeException.class,
					(ex) -> assertThat(ex.getResponse().statusCode()).isEqualTo(code));
	}

	@Test
	void refusedHandshakeNeverReachesOnOpenOrOnClose() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/deny?code=403&reason=no")) {
			assertThat(raw.handshake().status()).isEqualTo(403);
		}
		Object refused = this.recorder.await("onConnect", TIMEOUT).detail(0);
		JdkClient accepted = JdkClient.connect(this.port, "/deny");
		Object acceptedId = this.recorder.await("onConnect", TIMEOUT).detail(0);
		assertThat(acceptedId).isNotEqualTo(refused);
		assertThat(this.recorder.await("onOpen", TIMEOUT).detail(0)).isEqualTo(acceptedId);
		accepted.sendClose(1000, "bye");
		assertThat(this.recorder.await("onClose", TIMEOUT).detail(0)).isEqualTo(acceptedId);
		assertThat(this.recorder.drain()).noneMatch((event) -> event.detail(0).equals(refused));
	}

	@Test
	void headersOfConnectionAcceptAreOnThe101() throws Exception {
		List<String> head = RawWebSocket.exchangeHead(this.port, RawWebSocket.handshakeLines(this.port, "/headers"));
		assertThat(head.get(0)).contains(" 101 ");
		assertThat(headerValues(head, "X-Single")).containsExactly("one");
		assertThat(headerValues(head, "X-Multi")).containsExactly("first", "second");
	}

	@Test
	void subprotocolChosenInOnConnectIsAnsweredAndSeenInOnOpen() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/choose?pick=v2",
				Map.of("Sec-WebSocket-Protocol", "v1, v2"))) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			assertThat(raw.handshake().header("Sec-WebSocket-Protocol")).isEqualTo("v2");
			assertThat(this.recorder.await("onOpen", TIMEOUT).detail(0)).isEqualTo("v2");
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
	}

	@Test
	void subprotocolTheClientDidNotOfferAnswers500AndLogsAnErrorNamingTheEndpoint(CapturedOutput output)
			throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/choose?pick=v3",
				Map.of("Sec-WebSocket-Protocol", "v1"))) {
			assertThat(raw.handshake().status()).isEqualTo(500);
			assertThat(raw.handshake().header("Sec-WebSocket-Protocol")).isNull();
		}
		assertThat(LogLines.first(output.getOut(), "ERROR", "WebSocket endpoint 'choosing'", "'v3'"))
			.as("ERROR line naming the endpoint 'choosing' and 'v3' in:%n%s", output.getOut())
			.isNotNull();
	}

	@Test
	void anyOtherExceptionFromOnConnectAnswers500() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/fail")) {
			assertThat(raw.handshake().status()).isEqualTo(500);
			assertThat(raw.handshake().body()).doesNotContain("secret detail");
		}
	}

	@Test
	void configuredSubprotocolFirstOfferedByTheClientIsChosenWhenOnConnectPicksNone() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/negotiate",
				Map.of("Sec-WebSocket-Protocol", "chat, mqtt, wamp.2.json"))) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			assertThat(raw.handshake().header("Sec-WebSocket-Protocol")).isEqualTo("mqtt");
			assertThat(this.recorder.await("onOpen", TIMEOUT).detail(0)).isEqualTo("mqtt");
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
	}

	@Test
	void noSubprotocolIsAnsweredWhenTheClientOffersNoneOfTheConfiguredOnes() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/negotiate",
				Map.of("Sec-WebSocket-Protocol", "chat, stomp"))) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			assertThat(raw.handshake().header("Sec-WebSocket-Protocol")).isNull();
			assertThat(this.recorder.await("onOpen", TIMEOUT).detail(0)).isEqualTo("none");
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
	}

	@Test
	@Conformance("RFC 6455 4.2.1")
	void postIsRefusedWith405BeforeOnConnect() throws Exception {
		Map<String, String> headers = RawWebSocket.handshakeHeaders(this.port);
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "POST", "/deny?marker=bad", headers)) {
			assertThat(raw.handshake().status()).isEqualTo(405);
		}
		assertOnConnectNotCalledForBadRequest();
	}

	@Test
	@Conformance("RFC 6455 4.2.2, 4.4")
	void unsupportedVersionIsRefusedWith426ListingVersion13BeforeOnConnect() throws Exception {
		Map<String, String> headers = new HashMap<>();
		headers.put("Sec-WebSocket-Version", "8");
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/deny?marker=bad", headers)) {
			assertThat(raw.handshake().status()).isEqualTo(426);
			assertThat(raw.handshake().header("Sec-WebSocket-Version")).contains("13");
		}
		assertOnConnectNotCalledForBadRequest();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "no Sec-WebSocket-Key, Sec-WebSocket-Key, <none>", "empty key, Sec-WebSocket-Key, ''",
			"key not base64, Sec-WebSocket-Key, not*base64*at*all=",
			"key of 12 bytes, Sec-WebSocket-Key, AAAAAAAAAAAAAAAA",
			"key of 20 bytes, Sec-WebSocket-Key, AAAAAAAAAAAAAAAAAAAAAAAAAAA=", "no Upgrade, Upgrade, <none>",
			"Upgrade not websocket, Upgrade, h2c", "no Connection, Connection, <none>",
			"Connection without upgrade, Connection, keep-alive" })
	@Conformance("RFC 6455 4.2.1")
	void malformedHandshakeIsRefusedWith400BeforeOnConnect(String what, String header, String value) throws Exception {
		Map<String, String> headers = new HashMap<>();
		headers.put(header, value.equals("<none>") ? null : value);
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/deny?marker=bad", headers)) {
			assertThat(raw.handshake().status()).isEqualTo(400);
		}
		assertOnConnectNotCalledForBadRequest();
	}

	/**
	 * A good handshake after the bad one: the first {@code onConnect} the endpoint sees
	 * must be the good one's.
	 */
	private void assertOnConnectNotCalledForBadRequest() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/deny?marker=good")) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			HookRecorder.Event connect = this.recorder.await("onConnect", TIMEOUT);
			assertThat(connect.detail(1)).isEqualTo("good");
			raw.sendClose(1000, "");
			this.recorder.await((event) -> event.hook().equals("onClose") && event.detail(0).equals(connect.detail(0)),
					TIMEOUT);
		}
	}

	private static List<String> headerValues(List<String> head, String name) {
		String prefix = name.toLowerCase(Locale.ROOT) + ":";
		return head.stream()
			.filter((line) -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
			.map((line) -> line.substring(prefix.length()).trim())
			.toList();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, DenyingProtocol.class, HeadersProtocol.class, ChoosingProtocol.class,
			FailingProtocol.class, NegotiatingProtocol.class })
	static class HandshakeApplication {

	}

	/**
	 * Refuses with {@code ?code=&reason=} when given, else accepts. Records its identity
	 * with every hook so a test can tell connections apart.
	 */
	@WebSocketEndpoint("/deny")
	static class DenyingProtocol extends WebSocketServerProtocol {

		private final HookRecorder recorder;

		DenyingProtocol(HookRecorder recorder) {
			this.recorder = recorder;
		}

		@Override
		public @Nullable ConnectionAccept onConnect(ConnectionRequest request) {
			this.recorder.record("onConnect", id(),
					Objects.requireNonNullElse(request.params().getFirst("marker"), ""));
			String code = request.params().getFirst("code");
			if (code != null) {
				throw new ConnectionDeny(Integer.parseInt(code), request.params().getFirst("reason"));
			}
			return null;
		}

		@Override
		public void onOpen() {
			this.recorder.record("onOpen", id());
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			this.recorder.record("onClose", id());
		}

		private int id() {
			return System.identityHashCode(this);
		}

	}

	@WebSocketEndpoint("/headers")
	static class HeadersProtocol extends WebSocketServerProtocol {

		@Override
		public ConnectionAccept onConnect(ConnectionRequest request) {
			return ConnectionAccept.accept()
				.withHeader("X-Single", "one")
				.withHeader("X-Multi", "first")
				.withHeader("X-Multi", "second");
		}

	}

	/**
	 * Records the subprotocol of the connection (or {@code "none"}) in {@code onOpen}.
	 */
	abstract static class SubprotocolRecordingProtocol extends RecordingProtocol {

		SubprotocolRecordingProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onOpen() {
			this.recorder.record("onOpen", Objects.requireNonNullElse(getSubprotocol(), "none"));
		}

	}

	/** Chooses the subprotocol given as {@code ?pick=}. */
	@WebSocketEndpoint(path = "/choose", name = "choosing")
	static class ChoosingProtocol extends SubprotocolRecordingProtocol {

		ChoosingProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public ConnectionAccept onConnect(ConnectionRequest request) {
			return ConnectionAccept.subprotocol(Objects.requireNonNull(request.params().getFirst("pick")));
		}

	}

	@WebSocketEndpoint("/fail")
	static class FailingProtocol extends WebSocketServerProtocol {

		@Override
		public ConnectionAccept onConnect(ConnectionRequest request) {
			throw new IllegalStateException("secret detail");
		}

	}

	/** Leaves the subprotocol to the endpoint's configured {@code subprotocols}. */
	@WebSocketEndpoint(path = "/negotiate", name = "negotiating")
	static class NegotiatingProtocol extends SubprotocolRecordingProtocol {

		NegotiatingProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

}
