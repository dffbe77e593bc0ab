package io.autobahn.spring.websocket.behaviour;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.LogLines;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code onConnect} returning {@link ConnectionAccept#deferred(CompletionStage)},
 * Autobahn's Deferred: the handshake waits for the stage, which the test completes from
 * its own thread. While one handshake waits, other connections are served (on Reactor
 * Netty this module's subclass runs with one event loop, so a wait that held it would
 * stall them). The stage's accept opens the connection with its headers; a
 * {@link ConnectionDeny} it fails with (also wrapped) refuses with that status; any other
 * failure answers 500 and logs an ERROR; a stage that does not complete within
 * {@code open-handshake-timeout} (1 s on {@code /impatient}) is refused with 503 and a
 * WARN. A refused handshake never reaches {@code onOpen}, and its protocol instance is
 * destroyed. Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = DeferredConnectTests.DeferredApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "autobahn.websocket.endpoints.impatient.open-handshake-timeout=1s")
@ExtendWith(OutputCaptureExtension.class)
class DeferredConnectTests extends AbstractBehaviourTests {

	/** The stages of the handshakes waiting, by their {@code id} query parameter. */
	static final Map<String, CompletableFuture<@Nullable ConnectionAccept>> PENDING = new ConcurrentHashMap<>();

	@Test
	void deferredAcceptOpensTheConnectionWhileOtherConnectionsAreServed() throws Exception {
		CompletableFuture<RawWebSocket> waiting = handshakeInBackground("/deferred?id=accept");
		CompletableFuture<@Nullable ConnectionAccept> stage = awaitPending("accept");
		// The handshake waits, and meanwhile another connection opens and is echoed.
		JdkClient other = JdkClient.connect(this.port, "/deferred");
		other.sendText("served while the other waits");
		assertThat(other.next().text()).isEqualTo("served while the other waits");
		assertThat(waiting).isNotDone();
		this.recorder.await("onOpen", TIMEOUT);
		assertThat(this.recorder.drain()).noneMatch((event) -> event.hook().equals("onOpen"));

		stage.complete(ConnectionAccept.headers(Map.of("X-Deferred", "accepted")));
		try (RawWebSocket raw = waiting.get(10, TimeUnit.SECONDS)) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			assertThat(raw.handshake().header("X-Deferred")).isEqualTo("accepted");
			HookRecorder.Event open = this.recorder.await("onOpen", TIMEOUT);
			assertThat(open.thread()).as("onOpen is not run by the thread that completed the stage")
				.isNotEqualTo(Thread.currentThread().getName());
			raw.sendText("after a deferred accept");
			assertThat(raw.readDataOrClose().text()).isEqualTo("after a deferred accept");
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
		other.sendClose(1000, "");
		this.recorder.await("onClose", TIMEOUT);
	}

	@Test
	void stageCompletedWithNullAcceptsWithNothingAdded() throws Exception {
		CompletableFuture<RawWebSocket> waiting = handshakeInBackground("/deferred?id=null");
		awaitPending("null").complete(null);
		try (RawWebSocket raw = waiting.get(10, TimeUnit.SECONDS)) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			this.recorder.await("onOpen", TIMEOUT);
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
	}

	@Test
	void stageFailedWithConnectionDenyRefusesWithItsStatus() throws Exception {
		CompletableFuture<RawWebSocket> waiting = handshakeInBackground("/deferred?id=deny");
		awaitPending("deny").completeExceptionally(new ConnectionDeny(ConnectionDeny.FORBIDDEN, "no token"));
		assertRefused(waiting, 403, "no token");
	}

	@Test
	void stageFailedWithAWrappedConnectionDenyRefusesWithItsStatus() throws Exception {
		CompletableFuture<RawWebSocket> waiting = handshakeInBackground("/deferred?id=wrapped");
		awaitPending("wrapped")
			.completeExceptionally(new CompletionException(new ConnectionDeny(401, "token expired")));
		assertRefused(waiting, 401, "token expired");
	}

	@Test
	void stageFailedOtherwiseAnswers500AndLogsAnError(CapturedOutput output) throws Exception {
		CompletableFuture<RawWebSocket> waiting = handshakeInBackground("/deferred?id=fail");
		awaitPending("fail").completeExceptionally(new IllegalStateException("directory unreachable"));
		assertRefused(waiting, 500, "Internal server error");
		Poll.until("ERROR naming the endpoint", () -> LogLines.first(output.getAll(), " ERROR ",
				"onConnect of WebSocket endpoint 'deferred' failed for peer") != null, TIMEOUT);
		assertThat(output.getAll()).contains("directory unreachable");
	}

	@Test
	void stageNotCompletedWithinTheOpenHandshakeTimeoutIsRefusedWith503(CapturedOutput output) throws Exception {
		long start = System.nanoTime();
		CompletableFuture<RawWebSocket> waiting = handshakeInBackground("/impatient?id=never");
		CompletableFuture<@Nullable ConnectionAccept> stage = awaitPending("never");
		assertRefused(waiting, 503, "Connection not accepted in time");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused after open-handshake-timeout")
			.isGreaterThanOrEqualTo(Duration.ofMillis(900));
		assertThat(LogLines.first(output.getAll(), " WARN ", "onConnect of WebSocket endpoint 'impatient' did not "
				+ "complete its deferred accept within open-handshake-timeout (1000 ms)"))
			.isNotNull();
		// Completing it late changes nothing.
		stage.complete(null);
		Thread.sleep(200);
		assertThat(this.recorder.drain()).noneMatch((event) -> event.hook().equals("onOpen"));
	}

	@Test
	void clientGoneWhileTheStageIsPendingLeavesNothingBehind() throws Exception {
		Socket socket = new Socket("127.0.0.1", this.port);
		socket.getOutputStream()
			.write((String.join("\r\n", RawWebSocket.handshakeLines(this.port, "/deferred?id=gone")) + "\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
		CompletableFuture<@Nullable ConnectionAccept> stage = awaitPending("gone");
		socket.setSoLinger(true, 0);
		socket.close();
		Thread.sleep(200);
		stage.complete(null);
		// Whether the stack noticed before the accept (no onOpen), after it (onOpen, then
		// onClose), or never (Tomcat took the upgrade but cannot write its 101, and the
		// starter gives the connection up 30 s after the upgrade), the protocol instance
		// is destroyed and no connection stays open.
		HookRecorder.Event destroyed = this.recorder.await("preDestroy",
				ServerEndpoint.OPEN_AFTER_UPGRADE_TIMEOUT.plusSeconds(15));
		assertThat(destroyed).isNotNull();
		Poll.until("registry is empty", () -> this.registry.size() == 0, TIMEOUT);
		List<String> hooks = this.recorder.history().stream().map(HookRecorder.Event::hook).toList();
		assertThat(hooks).as("onOpen and onClose come in pairs")
			.filteredOn("onOpen"::equals)
			.hasSameSizeAs(hooks.stream().filter("onClose"::equals).toList());
	}

	private void assertRefused(CompletableFuture<RawWebSocket> waiting, int status, String body) throws Exception {
		try (RawWebSocket raw = waiting.get(10, TimeUnit.SECONDS)) {
			assertThat(raw.handshake().status()).isEqualTo(status);
			assertThat(raw.handshake().body()).isEqualTo(body);
		}
		assertThat(this.recorder
			.await((event) -> event.hook().equals("preDestroy") || event.hook().equals("onOpen"), TIMEOUT)
			.hook()).as("the protocol instance of a refused handshake is destroyed, never opened")
			.isEqualTo("preDestroy");
	}

	private CompletableFuture<RawWebSocket> handshakeInBackground(String path) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				return RawWebSocket.connect(this.port, path);
			}
			catch (Exception ex) {
				throw new CompletionException(ex);
			}
		});
	}

	private static CompletableFuture<@Nullable ConnectionAccept> awaitPending(String id) throws InterruptedException {
		Poll.until("onConnect of handshake '" + id + "' ran", () -> PENDING.containsKey(id), TIMEOUT);
		return PENDING.remove(id);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, DeferredProtocol.class, ImpatientProtocol.class })
	static class DeferredApplication {

	}

	/**
	 * Accepts at once without an {@code id} parameter; with one, returns a deferred
	 * accept whose stage the test completes (found in {@link #PENDING}).
	 */
	abstract static class PendingProtocol extends RecordingProtocol {

		PendingProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public @Nullable ConnectionAccept onConnect(ConnectionRequest request) {
			String id = request.params().getFirst("id");
			if (id == null) {
				return null;
			}
			CompletableFuture<@Nullable ConnectionAccept> stage = new CompletableFuture<>();
			PENDING.put(id, stage);
			return ConnectionAccept.deferred(stage);
		}

		@PreDestroy
		void destroyed() {
			this.recorder.record("preDestroy");
		}

	}

	@WebSocketEndpoint(path = "/deferred", name = "deferred")
	static class DeferredProtocol extends PendingProtocol {

		DeferredProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

	/** With an open-handshake-timeout of 1 s. */
	@WebSocketEndpoint(path = "/impatient", name = "impatient")
	static class ImpatientProtocol extends PendingProtocol {

		ImpatientProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

}
