package io.autobahn.spring.websocket.behaviour;

import java.nio.ByteBuffer;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-ping: with {@code auto-ping-interval=200ms} the client receives pings of
 * {@code auto-ping-size} (12) bytes carrying an increasing sequence number; with
 * {@code auto-ping-timeout=300ms} a client that never answers is dropped and gets
 * {@code onClose(false, 1006, ...)} within about two seconds, while a client that answers
 * every ping stays open for many intervals. Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = AutoPingTests.AutoPingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "autobahn.websocket.endpoints.pinged.auto-ping-interval=200ms",
				"autobahn.websocket.endpoints.watched.auto-ping-interval=200ms",
				"autobahn.websocket.endpoints.watched.auto-ping-timeout=300ms" })
class AutoPingTests extends AbstractBehaviourTests {

	@Test
	void clientReceivesPingsOfTheAutoPingSize() throws Exception {
		JdkClient client = JdkClient.connect(this.port, "/pinged");
		int previousSequence = 0;
		long previousSentAt = 0;
		for (int i = 0; i < 3; i++) {
			JdkClient.Received ping = client.next(Duration.ofSeconds(2));
			assertThat(ping.kind()).isEqualTo(JdkClient.Received.Kind.PING);
			assertThat(ping.payload()).hasSize(12);
			ByteBuffer payload = ByteBuffer.wrap(ping.payload());
			long sentAt = payload.getLong();
			int sequence = payload.getInt();
			assertThat(sequence).isEqualTo(previousSequence + 1);
			if (i > 0) {
				assertThat(sentAt - previousSentAt).isPositive();
			}
			previousSequence = sequence;
			previousSentAt = sentAt;
		}
		client.sendClose(1000, "");
		this.recorder.await("onClose", TIMEOUT);
	}

	@Test
	void clientThatNeverAnswersPingsIsDropped() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/watched")) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			long opened = System.nanoTime();
			// The client neither reads nor sends anything.
			HookRecorder.Event close = this.recorder.await("onClose", Duration.ofMillis(2500));
			long elapsedMillis = (System.nanoTime() - opened) / 1_000_000;
			assertThat(close.detail(0)).isEqualTo(false);
			assertThat(close.detail(1)).isEqualTo(1006);
			assertThat(elapsedMillis).isLessThan(2500);
			assertThat(raw.awaitEndOfStream(TIMEOUT)).isTrue();
			Poll.until("registry is empty", () -> this.registry.size() == 0, TIMEOUT);
		}
	}

	@Test
	void clientThatAnswersPingsStaysOpen() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/watched")) {
			// 8 intervals of 200 ms, each well past the 300 ms timeout of the previous ping.
			for (int pings = 0; pings < 8;) {
				RawWebSocket.Frame frame = raw.readFrame();
				assertThat(frame.opcode()).as("only pings while the client stays silent").isEqualTo(RawWebSocket.PING);
				assertThat(frame.payload()).hasSize(12);
				raw.sendPong(frame.payload());
				pings++;
			}
			assertThat(this.recorder.drain()).noneMatch((event) -> event.hook().equals("onClose"));
			raw.sendText("still open");
			RawWebSocket.Frame echo;
			do {
				echo = raw.readFrame();
				if (echo.opcode() == RawWebSocket.PING) {
					raw.sendPong(echo.payload());
				}
			}
			while (echo.opcode() == RawWebSocket.PING);
			assertThat(echo.text()).isEqualTo("still open");
			raw.sendClose(1000, "");
			assertThat(this.recorder.await("onClose", TIMEOUT).detail(0)).isEqualTo(true);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, PingedProtocol.class, WatchedProtocol.class })
	static class AutoPingApplication {

	}

	/** Pings every 200 ms and does not wait for pongs. */
	@WebSocketEndpoint(path = "/pinged", name = "pinged")
	static class PingedProtocol extends RecordingProtocol {

		PingedProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

	/** Pings every 200 ms and drops the connection when a pong is 300 ms late. */
	@WebSocketEndpoint(path = "/watched", name = "watched")
	static class WatchedProtocol extends RecordingProtocol {

		WatchedProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

}
