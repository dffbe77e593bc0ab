package io.autobahn.spring.websocket.behaviour;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.LogLines;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.StackProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Close semantics: {@code onClose} runs exactly once for every opened connection, with
 * the peer's code and reason for a clean close ({@code null} for a reason the close frame
 * did not carry), {@code (true, null, null)} for an empty close frame,
 * {@code (false, 1006, ...)} for a dropped TCP connection; a server
 * {@code sendClose(4001, "x")} reaches the client as sent, {@code wasClean} tells whether
 * the peer answered it (Autobahn's meaning): {@code (true, ...)} when it did, and
 * {@code (false, 1006, ...)} once the close handshake timeout passed when it did not, the
 * connection then dropped without a second close frame. {@code dropConnection()} drops
 * the TCP connection without a close frame and {@code onClose(false, 1006, ...)} follows
 * once the hook that called it returned. {@code sendClose} rejects codes other than 1000
 * and 3000-4999 and reasons over 123 UTF-8 bytes with {@link IllegalArgumentException}
 * without sending anything. An exception in {@code onOpen} or {@code onMessage} closes
 * that connection with 1011 and logs an ERROR naming the endpoint and the peer, while
 * other connections carry on. Protocol instances are unreachable after {@code onClose}.
 * Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = ClosingTests.ClosingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ClosingTests extends AbstractBehaviourTests {

	/** 61 two-byte characters and one ASCII character: 123 bytes of UTF-8. */
	static final String REASON_123 = "é".repeat(61) + "a";

	/** 62 two-byte characters: 124 bytes of UTF-8. */
	static final String REASON_124 = "é".repeat(62);

	@Test
	void cleanCloseFromThePeerGivesItsCodeAndReasonOnce() throws Exception {
		JdkClient client = JdkClient.connect(this.port, "/closing");
		this.recorder.await("onOpen", TIMEOUT);
		client.sendClose(4000, "done here");
		assertThat(this.recorder.await("onClose", TIMEOUT).details()).containsExactly(true, 4000, "done here", 1);
		assertThat(client.awaitClose().closeCode()).isEqualTo(4000);
		assertNoSecondOnClose();
	}

	@Test
	void closeFrameWithACodeAndNoReasonGivesANullReason() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/closing")) {
			this.recorder.await("onOpen", TIMEOUT);
			raw.sendClose(4000, "");
			assertThat(this.recorder.await("onClose", TIMEOUT).details()).containsExactly(true, 4000, null, 1);
			assertThat(raw.awaitCloseFrame(TIMEOUT).opcode()).isEqualTo(RawWebSocket.CLOSE);
			assertNoSecondOnClose();
		}
	}

	@Test
	void emptyCloseFrameGivesNullCodeAndReasonWhereTheStackKeepsIt() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/closing")) {
			this.recorder.await("onOpen", TIMEOUT);
			raw.sendEmptyClose();
			List<Object> onClose = this.recorder.await("onClose", TIMEOUT).details();
			if (StackProfile.current().keepsEmptyCloseFrames()) {
				assertThat(onClose).containsExactly(true, null, null, 1);
			}
			else {
				// Tomcat reports a close frame without payload as 1000 with an empty
				// reason
				// (jakarta.websocket.CloseReason), the same as close(1000, "").
				assertThat(onClose).containsExactly(true, 1000, null, 1);
			}
			assertThat(raw.awaitCloseFrame(TIMEOUT).opcode()).isEqualTo(RawWebSocket.CLOSE);
			assertNoSecondOnClose();
		}
	}

	@Test
	void droppedConnectionIsUncleanWith1006Once() throws Exception {
		RawWebSocket raw = RawWebSocket.connect(this.port, "/closing");
		this.recorder.await("onOpen", TIMEOUT);
		raw.abort();
		HookRecorder.Event close = this.recorder.await("onClose", TIMEOUT);
		assertThat(close.detail(0)).isEqualTo(false);
		assertThat(close.detail(1)).isEqualTo(1006);
		assertThat((String) close.detail(2)).startsWith("connection was closed uncleanly");
		assertThat(close.detail(3)).isEqualTo(1);
		assertNoSecondOnClose();
	}

	@Test
	void serverSendCloseReachesTheClientAndOnCloseRunsOnce() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/closing")) {
			this.recorder.await("onOpen", TIMEOUT);
			raw.sendText("close 4001 x");
			RawWebSocket.Frame close = raw.awaitCloseFrame(TIMEOUT);
			assertThat(close.closeCode()).isEqualTo(4001);
			assertThat(close.closeReason()).isEqualTo("x");
			raw.sendClose(4001, "x");
			HookRecorder.Event onClose = this.recorder.await("onClose", TIMEOUT);
			assertThat(onClose.details()).containsExactly(true, 4001, "x", 1);
			assertThat(raw.awaitEndOfStream(TIMEOUT)).isTrue();
			assertNoSecondOnClose();
		}
	}

	@Test
	void peerAnsweringTheServersCloseWithItsOwnCodeGivesACleanClose() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/closing")) {
			this.recorder.await("onOpen", TIMEOUT);
			raw.sendText("close 4001 x");
			assertThat(raw.awaitCloseFrame(TIMEOUT).closeCode()).isEqualTo(4001);
			raw.sendClose(4002, "answer");
			HookRecorder.Event onClose = this.recorder.await("onClose", TIMEOUT);
			if (!StackProfile.current().reportsPeersCloseFrame()) {
				// Tomcat does not hand the peer's close frame over: the server's own code
				// and reason.
				assertThat(onClose.details()).containsExactly(true, 4001, "x", 1);
			}
			else {
				assertThat(onClose.details()).containsExactly(true, 4002, "answer", 1);
			}
			assertThat(raw.framesUntilEndOfStream(TIMEOUT)).as("frames after the close frame").isEmpty();
			assertNoSecondOnClose();
		}
	}

	@Test
	void peerNotAnsweringTheServersCloseIsDroppedAfterTheCloseHandshakeTimeout() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/closing")) {
			this.recorder.await("onOpen", TIMEOUT);
			raw.sendText("close 1000 bye");
			assertThat(raw.awaitCloseFrame(TIMEOUT).closeCode()).isEqualTo(1000);
			long closeReceived = System.nanoTime();
			// No answer: close-handshake-timeout (1 s) drops the connection, unclean.
			HookRecorder.Event onClose = this.recorder.await("onClose", Duration.ofSeconds(5));
			assertThat(Duration.ofNanos(System.nanoTime() - closeReceived)).as("time to onClose")
				.isGreaterThan(Duration.ofMillis(800));
			assertThat(onClose.detail(0)).isEqualTo(false);
			assertThat(onClose.detail(1)).isEqualTo(1006);
			assertThat((String) onClose.detail(2)).isEqualTo("connection was closed uncleanly (WebSocket closing "
					+ "handshake timeout (peer did not finish the closing handshake in time))");
			assertThat(raw.framesUntilEndOfStream(TIMEOUT)).as("frames after the close frame").isEmpty();
			assertNoSecondOnClose();
		}
	}

	@Test
	void dropConnectionDropsWithoutACloseFrameAndOnCloseFollowsTheHook() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/closing")) {
			this.recorder.await("onOpen", TIMEOUT);
			raw.sendText("drop");
			assertThat(raw.framesUntilEndOfStream(TIMEOUT)).as("frames before the end of the connection").isEmpty();
			HookRecorder.Event dropped = this.recorder
				.await((event) -> event.hook().equals("dropped") || event.hook().equals("onClose"), TIMEOUT);
			assertThat(dropped.hook()).as("onMessage returned before onClose ran").isEqualTo("dropped");
			assertThat(dropped.details()).containsExactly(false);
			assertThat(this.recorder.await("onClose", TIMEOUT).details()).containsExactly(false, 1006,
					"connection was closed uncleanly (dropped by the application)", 1);
			assertNoSecondOnClose();
		}
	}

	@Test
	void invalidCloseCodesAndReasonsAreRejectedAndNothingIsSent() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/closing")) {
			this.recorder.await("onOpen", TIMEOUT);
			for (String command : List.of("close 999 none", "close 1001 none", "close 1005 none", "close 2999 none",
					"close 5000 none", "close 1000 reason124", "close 4000 reason124")) {
				raw.sendText(command);
				RawWebSocket.Frame reply = raw.readDataOrClose();
				assertThat(reply.opcode()).as(command).isEqualTo(RawWebSocket.TEXT);
				assertThat(reply.text()).isEqualTo("IllegalArgumentException for " + command);
				// Still open and echoing.
				raw.sendText("echo still open");
				assertThat(raw.readDataOrClose().text()).isEqualTo("echo still open");
			}
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
	}

	@Test
	void validCloseCodesAndA123ByteReasonAreSent() throws Exception {
		for (String command : List.of("close 1000 none", "close 3000 plain", "close 4999 plain", "close 4000 reason123",
				"close 1000 reason123")) {
			try (RawWebSocket raw = RawWebSocket.connect(this.port, "/closing")) {
				this.recorder.await("onOpen", TIMEOUT);
				raw.sendText(command);
				RawWebSocket.Frame close = raw.readDataOrClose();
				assertThat(close.opcode()).as(command).isEqualTo(RawWebSocket.CLOSE);
				String[] parts = command.split(" ");
				assertThat(close.closeCode()).isEqualTo(Integer.parseInt(parts[1]));
				String reason = reason(parts[2]);
				assertThat(close.closeReason()).isEqualTo((reason != null) ? reason : "");
				raw.sendClose(close.closeCode(), "");
				this.recorder.await("onClose", TIMEOUT);
			}
		}
	}

	@Test
	void exceptionInOnOpenClosesWith1011AndLogsAnError(CapturedOutput output) throws Exception {
		try (RawWebSocket other = RawWebSocket.connect(this.port, "/closing");
				RawWebSocket failing = RawWebSocket.connect(this.port, "/closing?failOpen")) {
			assertThat(failing.handshake().status()).isEqualTo(101);
			RawWebSocket.Frame close = failing.awaitCloseFrame(TIMEOUT);
			assertThat(close.closeCode()).isEqualTo(1011);
			String peer = "tcp4:127.0.0.1:" + failing.socket().getLocalPort();
			Poll.until("ERROR for onOpen", () -> errorLine(output.getAll(), "onOpen", peer) != null, TIMEOUT);
			other.sendText("echo other");
			assertThat(other.readDataOrClose().text()).isEqualTo("echo other");
			failing.sendClose(1011, "");
			other.sendClose(1000, "");
		}
	}

	@Test
	void exceptionInOnMessageClosesWith1011AndLogsAnError(CapturedOutput output) throws Exception {
		try (RawWebSocket other = RawWebSocket.connect(this.port, "/closing");
				RawWebSocket failing = RawWebSocket.connect(this.port, "/closing")) {
			failing.sendText("boom");
			RawWebSocket.Frame close = failing.awaitCloseFrame(TIMEOUT);
			assertThat(close.closeCode()).isEqualTo(1011);
			String peer = "tcp4:127.0.0.1:" + failing.socket().getLocalPort();
			Poll.until("ERROR for onMessage", () -> errorLine(output.getAll(), "onMessage", peer) != null, TIMEOUT);
			other.sendText("echo other");
			assertThat(other.readDataOrClose().text()).isEqualTo("echo other");
			failing.sendClose(1011, "");
			other.sendClose(1000, "");
		}
	}

	@Test
	void protocolInstancesAreGarbageAfterOnClose() throws Exception {
		List<WeakReference<?>> instances = new ArrayList<>();
		// A clean close, a dropped connection and a server-initiated close.
		JdkClient clean = JdkClient.connect(this.port, "/closing");
		instances.add((WeakReference<?>) this.recorder.await("onOpen", TIMEOUT).detail(0));
		RawWebSocket dropped = RawWebSocket.connect(this.port, "/closing");
		instances.add((WeakReference<?>) this.recorder.await("onOpen", TIMEOUT).detail(0));
		RawWebSocket serverClosed = RawWebSocket.connect(this.port, "/closing");
		instances.add((WeakReference<?>) this.recorder.await("onOpen", TIMEOUT).detail(0));
		assertThat(this.registry.size()).isEqualTo(3);
		clean.sendClose(1000, "");
		dropped.abort();
		serverClosed.sendText("close 1000 none");
		serverClosed.awaitCloseFrame(TIMEOUT);
		serverClosed.sendClose(1000, "");
		for (int i = 0; i < 3; i++) {
			this.recorder.await("onClose", TIMEOUT);
		}
		serverClosed.close();
		Poll.until("registry is empty", () -> this.registry.size() == 0, TIMEOUT);
		this.recorder.clear();
		clean = null;
		Poll.until("protocol instances collected", () -> {
			System.gc();
			return instances.stream().allMatch((reference) -> reference.get() == null);
		}, TIMEOUT);
	}

	private void assertNoSecondOnClose() throws InterruptedException {
		Poll.until("registry is empty", () -> this.registry.size() == 0, TIMEOUT);
		// onClose counts its calls per instance: a second call would record 2.
		Thread.sleep(200);
		assertThat(this.recorder.drain()).noneMatch((event) -> event.hook().equals("onClose"));
	}

	private static @Nullable String errorLine(String log, String hook, String peer) {
		return LogLines.first(log, " ERROR ", hook + " of WebSocket endpoint 'closing' failed for peer " + peer);
	}

	static @Nullable String reason(String spec) {
		return switch (spec) {
			case "none" -> null;
			case "reason123" -> REASON_123;
			case "reason124" -> REASON_124;
			default -> spec;
		};
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, ClosingProtocol.class })
	static class ClosingApplication {

	}

	/**
	 * Records {@code onOpen} (with a weak reference to itself) and {@code onClose} (with
	 * how often it ran); {@code close <code> <reason>} calls {@code sendClose} and
	 * answers an {@link IllegalArgumentException}, {@code echo ...} echoes, {@code boom}
	 * throws, and {@code ?failOpen} makes {@code onOpen} throw.
	 */
	@WebSocketEndpoint(path = "/closing", name = "closing")
	static class ClosingProtocol extends WebSocketServerProtocol {

		private final HookRecorder recorder;

		private final AtomicInteger closes = new AtomicInteger();

		ClosingProtocol(HookRecorder recorder) {
			this.recorder = recorder;
		}

		@Override
		public void onOpen() {
			this.recorder.record("onOpen", new WeakReference<>(this));
			if (getRequest().params().containsKey("failOpen")) {
				throw new IllegalStateException("onOpen failed on purpose");
			}
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			String command = new String(payload, StandardCharsets.UTF_8);
			if (command.equals("boom")) {
				throw new IllegalStateException("onMessage failed on purpose");
			}
			if (command.startsWith("echo")) {
				sendMessage(command);
				return;
			}
			if (command.equals("drop")) {
				dropConnection();
				this.recorder.record("dropped", isOpen());
				return;
			}
			String[] parts = command.split(" ");
			try {
				sendClose(Integer.parseInt(parts[1]), reason(parts[2]));
			}
			catch (IllegalArgumentException ex) {
				sendMessage("IllegalArgumentException for " + command);
			}
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			this.recorder.recordNullable("onClose", wasClean, code, reason, this.closes.incrementAndGet());
		}

	}

}
