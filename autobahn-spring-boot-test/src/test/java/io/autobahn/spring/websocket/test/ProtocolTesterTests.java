package io.autobahn.spring.websocket.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionDeny;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.Disconnected;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link ProtocolTester} drives the real engine: hooks in order and one at a time, the
 * close state machine ({@code onClose} exactly once, clean or not, the close handshake
 * timeout), message assembly under the size limit, 1011 after a hook threw,
 * {@code Disconnected} after the close, the handshake's refusal and subprotocol, and
 * sends from other threads.
 */
class ProtocolTesterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Test
	void echoesWhatItReceivesAndRecordsTheHooksInOrder() {
		RecordingProtocol protocol = new RecordingProtocol();
		try (ProtocolTester<RecordingProtocol> tester = ProtocolTester.of(protocol)) {
			tester.open().receive("hi").receive(new byte[] { 1, 2, 3 });
			assertThat(tester.sent()).containsExactly(Message.text("hi"), Message.binary(new byte[] { 1, 2, 3 }));
			assertThat(tester.isOpen()).isTrue();
			tester.receiveClose(1000, "bye");
			assertThat(protocol.hooks).containsExactly("onConnect /recording", "onOpen", "onMessage hi false",
					"onMessage \u0001\u0002\u0003 true", "onClose true 1000 bye");
			assertThat(tester.isOpen()).isFalse();
			assertThat(tester.isDestroyed()).isTrue();
			// The container answers the peer's close frame; the engine does not write
			// one.
			assertThat(tester.closeSent()).isEmpty();
		}
	}

	@Test
	void onCloseRunsOnceForAnEmptyCloseFrameAndNotForLaterEvents() {
		RecordingProtocol protocol = new RecordingProtocol();
		try (ProtocolTester<RecordingProtocol> tester = ProtocolTester.of(protocol)) {
			tester.open().receiveClose().drop().receive("late");
			assertThat(protocol.hooks).containsExactly("onConnect /recording", "onOpen", "onClose true null null");
			assertThat(tester.sent()).isEmpty();
		}
	}

	@Test
	void sendCloseIsAnsweredByThePeerForACleanClose() {
		RecordingProtocol protocol = new RecordingProtocol();
		try (ProtocolTester<RecordingProtocol> tester = ProtocolTester.of(protocol)) {
			tester.open().receive("close");
			assertThat(tester.closeSent()).contains(Close.frame(4000, "asked"));
			assertThat(tester.isOpen()).isFalse();
			assertThat(tester.isDestroyed()).isFalse();
			tester.receiveClose(4000, "asked");
			assertThat(protocol.hooks).last().isEqualTo("onClose true 4000 asked");
			assertThat(tester.isDropped()).isFalse();
			assertThatExceptionOfType(Disconnected.class).isThrownBy(() -> protocol.sendMessage("after"));
		}
	}

	@Test
	void unansweredCloseIsDroppedAfterTheCloseHandshakeTimeout() throws InterruptedException {
		RecordingProtocol protocol = new RecordingProtocol();
		try (ProtocolTester<RecordingProtocol> tester = ProtocolTester.of(protocol,
				(options) -> options.setCloseHandshakeTimeout(Duration.ofMillis(100)))) {
			tester.open().receive("close");
			Awaitility.await().atMost(TIMEOUT).until(tester::isDestroyed);
			assertThat(tester.isDropped()).isTrue();
			assertThat(protocol.hooks).last()
				.asString()
				.startsWith("onClose false 1006 connection was closed uncleanly");
		}
	}

	@Test
	void hookThatThrowsClosesWith1011() {
		RecordingProtocol protocol = new RecordingProtocol();
		try (ProtocolTester<RecordingProtocol> tester = ProtocolTester.of(protocol)) {
			tester.open().receive("throw");
			assertThat(tester.closeSent()).hasValueSatisfying((close) -> assertThat(close).hasCode(1011));
		}
	}

	@Test
	void messageOverTheLimitClosesWith1009WithoutReachingOnMessage() {
		RecordingProtocol protocol = new RecordingProtocol();
		try (ProtocolTester<RecordingProtocol> tester = ProtocolTester.of(protocol,
				(options) -> options.setMaxMessagePayloadSize(DataSize.ofBytes(8)))) {
			tester.open()
				.receiveFragments(false, bytes("1234"), bytes("5678"))
				.receiveFragments(false, bytes("12345"), bytes("6789"));
			assertThat(tester.sent()).containsExactly(Message.text("12345678"));
			assertThat(tester.closeSent()).contains(Close.frame(1009, "Message too big"));
		}
	}

	@Test
	void autoFragmentSizeSplitsWhatTheProtocolSends() {
		try (ProtocolTester<RecordingProtocol> tester = ProtocolTester.of(new RecordingProtocol(),
				(options) -> options.setAutoFragmentSize(DataSize.ofBytes(4)))) {
			tester.open().receive("0123456789");
			assertThat(tester.sent()).containsExactly(Message.text("0123456789"));
			assertThat(tester.sentFrames()).isEqualTo(3);
		}
	}

	@Test
	void dropConnectionFromAHookIsReportedAfterTheHook() {
		RecordingProtocol protocol = new RecordingProtocol();
		try (ProtocolTester<RecordingProtocol> tester = ProtocolTester.of(protocol)) {
			tester.open().receive("drop");
			assertThat(tester.isDropped()).isTrue();
			assertThat(protocol.hooks).containsSubsequence("onMessage drop false",
					"onClose false 1006 " + "connection was closed uncleanly (dropped by the application)");
		}
	}

	@Test
	void pingIsAnsweredByTheDefaultOnPing() {
		try (ProtocolTester<RecordingProtocol> tester = ProtocolTester.of(new RecordingProtocol())) {
			tester.open().receivePing(bytes("p"));
			assertThat(tester.sentPongs()).containsExactly(bytes("p"));
		}
	}

	@Test
	void refusedHandshakeThrowsTheDenyAndDisposesOfTheInstance() {
		RecordingProtocol protocol = new RecordingProtocol();
		try (ProtocolTester<RecordingProtocol> tester = ProtocolTester.of(protocol)
			.request((request) -> request.param("deny", "yes"))) {
			assertThatExceptionOfType(ConnectionDeny.class).isThrownBy(tester::connect)
				.satisfies((deny) -> assertThat(deny.getCode()).isEqualTo(403));
			assertThat(tester.isDestroyed()).isTrue();
			assertThat(protocol.hooks).containsExactly("onConnect /recording");
		}
	}

	@Test
	void openFailsWhenTheHandshakeIsRefused() {
		try (ProtocolTester<RecordingProtocol> tester = ProtocolTester.of(new RecordingProtocol())
			.request((request) -> request.param("deny", "yes"))) {
			assertThatExceptionOfType(AssertionError.class).isThrownBy(tester::open).withMessageContaining("403");
		}
	}

	@Test
	void connectAnswersWithTheChosenSubprotocolAndHeaders() {
		try (ProtocolTester<RecordingProtocol> tester = ProtocolTester
			.of(new RecordingProtocol(), (options) -> options.setSubprotocols(List.of("b.v1")))
			.request((request) -> request.subprotocols("a.v1", "b.v1").header("X-Name", "alice"))) {
			ConnectionAccept accept = tester.connect();
			assertThat(accept.getSubprotocol()).isEqualTo("b.v1");
			assertThat(accept.getHeaders()).containsEntry("X-Hello", List.of("alice"));
			tester.open();
			assertThat(tester.protocol().getSubprotocol()).isEqualTo("b.v1");
		}
	}

	@Test
	void deferredAcceptIsAwaited() {
		DeferringProtocol protocol = new DeferringProtocol();
		try (ProtocolTester<DeferringProtocol> tester = ProtocolTester.of(protocol)) {
			CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)
				.execute(() -> protocol.decision.complete(ConnectionAccept.headers(Map.of("X-Late", "yes"))));
			assertThat(tester.connect().getHeaders()).containsEntry("X-Late", List.of("yes"));
		}
	}

	@Test
	void sendsFromOtherThreadsAreRecorded() {
		RecordingProtocol protocol = new RecordingProtocol();
		try (ProtocolTester<RecordingProtocol> tester = ProtocolTester.of(protocol)) {
			tester.open();
			Thread sender = new Thread(() -> {
				for (int i = 0; i < 3; i++) {
					protocol.sendMessage("tick " + i);
				}
			});
			sender.start();
			assertThat(tester.awaitSent(3, TIMEOUT)).containsExactly(Message.text("tick 0"), Message.text("tick 1"),
					Message.text("tick 2"));
		}
	}

	@Test
	void closingTheTesterDropsAnOpenConnection() {
		RecordingProtocol protocol = new RecordingProtocol();
		ProtocolTester<RecordingProtocol> tester = ProtocolTester.of(protocol);
		tester.open();
		tester.close();
		assertThat(protocol.hooks).last().asString().startsWith("onClose false 1006");
		assertThat(tester.isDestroyed()).isTrue();
	}

	@Test
	void closingTheTesterGivesUpAnAcceptedConnectionThatNeverOpened() {
		RecordingProtocol protocol = new RecordingProtocol();
		ProtocolTester<RecordingProtocol> tester = ProtocolTester.of(protocol);
		tester.connect();
		tester.close();
		assertThat(tester.isDestroyed()).isTrue();
		assertThat(protocol.hooks).containsExactly("onConnect /recording");
	}

	@Test
	void oneTesterDrivesOneConnection() {
		try (ProtocolTester<RecordingProtocol> tester = ProtocolTester.of(new RecordingProtocol())) {
			assertThatIllegalStateException().isThrownBy(() -> tester.receive("too early"))
				.withMessageContaining("open()");
			tester.open();
			assertThatIllegalStateException().isThrownBy(tester::open);
			assertThatIllegalStateException().isThrownBy(tester::connect);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Echoes and records its hooks; {@code close} closes with 4000, {@code throw} throws,
	 * {@code drop} drops the connection; a request with {@code deny} is refused with 403.
	 */
	@WebSocketEndpoint("/recording")
	static class RecordingProtocol extends WebSocketServerProtocol {

		final List<String> hooks = Collections.synchronizedList(new ArrayList<>());

		@Override
		public @Nullable ConnectionAccept onConnect(ConnectionRequest request) {
			this.hooks.add("onConnect " + request.path());
			if (request.params().containsKey("deny")) {
				throw new ConnectionDeny(ConnectionDeny.FORBIDDEN, "denied");
			}
			String name = request.headers().getFirst("X-Name");
			return (name != null) ? ConnectionAccept.headers(Map.of("X-Hello", name)) : null;
		}

		@Override
		public void onOpen() {
			this.hooks.add("onOpen");
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			String text = new String(payload, StandardCharsets.UTF_8);
			this.hooks.add("onMessage " + text + " " + isBinary);
			switch (text) {
				case "close" -> sendClose(4000, "asked");
				case "throw" -> throw new IllegalStateException("asked to throw");
				case "drop" -> dropConnection();
				default -> sendMessage(payload, isBinary);
			}
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			this.hooks.add("onClose " + wasClean + " " + code + " " + reason);
		}

	}

	static class DeferringProtocol extends WebSocketServerProtocol {

		final CompletableFuture<ConnectionAccept> decision = new CompletableFuture<>();

		@Override
		public ConnectionAccept onConnect(ConnectionRequest request) {
			return ConnectionAccept.deferred(this.decision);
		}

	}

}
