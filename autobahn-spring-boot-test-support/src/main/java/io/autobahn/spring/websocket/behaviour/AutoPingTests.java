package io.autobahn.spring.websocket.behaviour;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
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
 * Auto-ping as Autobahn does it, with {@code auto-ping-interval=200ms}: pings of
 * {@code auto-ping-size} (12) bytes carry the send time in nanoseconds since the epoch
 * and an increasing sequence number; one ping is outstanding at a time, the next goes an
 * interval after the pong that answers it, and only a pong with the ping's own payload
 * answers it ({@code onAutoPong} then runs, before {@code onPong}). With
 * {@code auto-ping-timeout=300ms} a client that never answers is dropped without a close
 * frame and gets {@code onClose(false, 1006, ...)} within about two seconds, while a
 * client that answers every ping stays open for many intervals; with
 * {@code auto-ping-restart-on-any-traffic} (the default) a data message answers a ping
 * too, without it only the pong does. Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = AutoPingTests.AutoPingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "autobahn.websocket.endpoints.pinged.auto-ping-interval=200ms",
				"autobahn.websocket.endpoints.watched.auto-ping-interval=200ms",
				"autobahn.websocket.endpoints.watched.auto-ping-timeout=300ms",
				"autobahn.websocket.endpoints.strict.auto-ping-interval=200ms",
				"autobahn.websocket.endpoints.strict.auto-ping-timeout=1s",
				"autobahn.websocket.endpoints.strict.auto-ping-restart-on-any-traffic=false",
				"autobahn.websocket.endpoints.traffic.auto-ping-interval=200ms",
				"autobahn.websocket.endpoints.traffic.auto-ping-timeout=1s" })
class AutoPingTests extends AbstractBehaviourTests {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	@Test
	void clientReceivesPingsOfTheAutoPingSizeWithEpochTimestampsAndSequenceNumbers() throws Exception {
		JdkClient client = JdkClient.connect(this.port, "/pinged");
		int previousSequence = 0;
		long previousSentAt = 0;
		for (int i = 0; i < 3; i++) {
			long before = epochNanos();
			JdkClient.Received ping = client.next(Duration.ofSeconds(2));
			assertThat(ping.kind()).isEqualTo(JdkClient.Received.Kind.PING);
			assertThat(ping.payload()).hasSize(12);
			ByteBuffer payload = ByteBuffer.wrap(ping.payload());
			long sentAt = payload.getLong();
			int sequence = payload.getInt();
			assertThat(sequence).isEqualTo(previousSequence + 1);
			// Wall-clock time, not System.nanoTime(): between this test's readings around
			// it.
			assertThat(sentAt).as("ping timestamp in epoch ns")
				.isBetween(before - Duration.ofSeconds(3).toNanos(), epochNanos());
			if (i > 0) {
				// The JDK client answers each ping at once; the next goes an interval
				// later.
				assertThat(Duration.ofNanos(sentAt - previousSentAt)).isGreaterThanOrEqualTo(INTERVAL);
			}
			previousSequence = sequence;
			previousSentAt = sentAt;
		}
		client.sendClose(1000, "");
		this.recorder.await("onClose", TIMEOUT);
	}

	@Test
	void oneUnansweredPingIsOutstandingAtATime() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/pinged")) {
			RawWebSocket.Frame ping = raw.readFrame();
			assertThat(ping.opcode()).isEqualTo(RawWebSocket.PING);
			// Five intervals without an answer: a fixed-rate pinger would have sent five
			// more.
			raw.socket().setSoTimeout((int) INTERVAL.multipliedBy(5).toMillis());
			assertThat(nextFrameOrNull(raw)).as("a second ping before the first was answered").isNull();
			raw.socket().setSoTimeout((int) TIMEOUT.toMillis());
			raw.sendPong(ping.payload());
			RawWebSocket.Frame next = raw.readFrame();
			assertThat(next.opcode()).isEqualTo(RawWebSocket.PING);
			assertThat(ByteBuffer.wrap(next.payload(), 8, 4).getInt()).isEqualTo(2);
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
	}

	@Test
	void nextPingGoesAnIntervalAfterThePong() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/pinged")) {
			RawWebSocket.Frame ping = raw.readFrame();
			Thread.sleep(400);
			long ponged = System.nanoTime();
			raw.sendPong(ping.payload());
			assertThat(raw.readFrame().opcode()).isEqualTo(RawWebSocket.PING);
			assertThat(Duration.ofNanos(System.nanoTime() - ponged)).as("from the pong to the next ping")
				.isGreaterThanOrEqualTo(INTERVAL.minusMillis(20));
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
	}

	@Test
	void pongAnsweringTheAutoPingCallsOnAutoPongThenOnPong() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/pinged")) {
			RawWebSocket.Frame ping = raw.readFrame();
			long before = epochNanos();
			raw.sendPong(ping.payload());
			HookRecorder.Event autoPong = this.recorder
				.await((event) -> event.hook().equals("onAutoPong") || event.hook().equals("onPong"), TIMEOUT);
			assertThat(autoPong.hook()).isEqualTo("onAutoPong");
			ByteBuffer payload = ByteBuffer.wrap(ping.payload());
			assertThat(autoPong.detail(0)).as("pingSent").isEqualTo(payload.getLong());
			assertThat(autoPong.detail(1)).as("pingSequence").isEqualTo(payload.getInt());
			assertThat((long) autoPong.detail(2)).as("pongReceived").isBetween(before, epochNanos());
			assertThat((Duration) autoPong.detail(3)).as("pongRtt").isPositive().isLessThan(TIMEOUT);
			assertThat((byte[]) autoPong.detail(4)).isEqualTo(ping.payload());
			assertThat((byte[]) this.recorder.await("onPong", TIMEOUT).detail(0)).isEqualTo(ping.payload());
			// A pong of the client's own is not an answer to a ping.
			raw.sendPong(new byte[] { 1, 2, 3 });
			assertThat((byte[]) this.recorder.await("onPong", TIMEOUT).detail(0)).containsExactly(1, 2, 3);
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
			assertThat(this.recorder.drain()).noneMatch((event) -> event.hook().equals("onAutoPong"));
		}
	}

	@Test
	void clientThatNeverAnswersPingsIsDroppedWithoutACloseFrame() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/watched")) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			long opened = System.nanoTime();
			// The client neither reads nor sends anything.
			HookRecorder.Event close = this.recorder.await("onClose", Duration.ofMillis(2500));
			long elapsedMillis = (System.nanoTime() - opened) / 1_000_000;
			assertThat(close.details()).containsExactly(false, 1006,
					"connection was closed uncleanly (WebSocket ping timeout (peer did not respond with pong in time))");
			assertThat(elapsedMillis).isLessThan(2500);
			List<RawWebSocket.Frame> frames = raw.framesUntilEndOfStream(TIMEOUT);
			assertThat(frames).as("what the client received: one ping, then the TCP connection ended")
				.extracting(RawWebSocket.Frame::opcode)
				.containsExactly(RawWebSocket.PING);
			Poll.until("registry is empty", () -> this.registry.size() == 0, TIMEOUT);
		}
	}

	@Test
	void clientThatAnswersPingsStaysOpen() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/watched")) {
			// 8 intervals of 200 ms, each well past the 300 ms timeout of the previous
			// ping.
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

	@Test
	void pongWithAnotherPayloadDoesNotAnswerThePing() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/strict")) {
			RawWebSocket.Frame ping = raw.readFrame();
			byte[] wrong = ping.payload().clone();
			wrong[11] ^= 1;
			raw.sendPong(wrong);
			HookRecorder.Event close = this.recorder.await("onClose", Duration.ofSeconds(5));
			assertThat(close.detail(0)).isEqualTo(false);
			assertThat(close.detail(1)).isEqualTo(1006);
			assertThat(raw.framesUntilEndOfStream(TIMEOUT)).isEmpty();
		}
	}

	@Test
	void dataAnswersThePingWithRestartOnAnyTraffic() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/traffic")) {
			// Four pings answered with a message each, never with a pong; each goes an
			// interval after the message that answered the previous one.
			int pings = 0;
			int echoes = 0;
			while (pings < 4 || echoes < 4) {
				RawWebSocket.Frame frame = raw.readFrame();
				if (frame.opcode() == RawWebSocket.PING) {
					assertThat(ByteBuffer.wrap(frame.payload(), 8, 4).getInt()).isEqualTo(++pings);
					raw.sendText("answer " + pings);
				}
				else {
					assertThat(frame.text()).isEqualTo("answer " + ++echoes);
				}
			}
			assertThat(this.recorder.drain()).noneMatch((event) -> event.hook().equals("onClose"));
			raw.sendClose(1000, "");
			assertThat(this.recorder.await("onClose", TIMEOUT).detail(0)).isEqualTo(true);
		}
	}

	@Test
	void dataDoesNotAnswerThePingWithoutRestartOnAnyTraffic() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/strict")) {
			assertThat(raw.readFrame().opcode()).isEqualTo(RawWebSocket.PING);
			raw.sendText("not a pong");
			HookRecorder.Event close = this.recorder.await("onClose", Duration.ofSeconds(5));
			assertThat(close.detail(0)).isEqualTo(false);
			assertThat(close.detail(1)).isEqualTo(1006);
		}
	}

	private static RawWebSocket.@Nullable Frame nextFrameOrNull(RawWebSocket raw) throws IOException {
		try {
			return raw.readFrame();
		}
		catch (java.net.SocketTimeoutException ex) {
			return null;
		}
	}

	private static long epochNanos() {
		java.time.Instant now = java.time.Instant.now();
		return now.getEpochSecond() * 1_000_000_000L + now.getNano();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, PingedProtocol.class, WatchedProtocol.class, StrictProtocol.class,
			TrafficProtocol.class })
	static class AutoPingApplication {

	}

	/** Records {@code onAutoPong} and {@code onPong} as well. */
	abstract static class PongRecordingProtocol extends RecordingProtocol {

		PongRecordingProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onAutoPong(long pingSent, int pingSequence, long pongReceived, Duration pongRtt, byte[] payload) {
			this.recorder.record("onAutoPong", pingSent, pingSequence, pongReceived, pongRtt, payload);
		}

		@Override
		public void onPong(byte[] payload) {
			this.recorder.record("onPong", (Object) payload);
		}

	}

	/** Pings every 200 ms after the previous pong; no timeout. */
	@WebSocketEndpoint(path = "/pinged", name = "pinged")
	static class PingedProtocol extends PongRecordingProtocol {

		PingedProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

	/** Pings every 200 ms and drops the connection when a pong is 300 ms late. */
	@WebSocketEndpoint(path = "/watched", name = "watched")
	static class WatchedProtocol extends PongRecordingProtocol {

		WatchedProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

	/** Pings every 200 ms, drops after 1 s without the pong; messages do not answer. */
	@WebSocketEndpoint(path = "/strict", name = "strict")
	static class StrictProtocol extends PongRecordingProtocol {

		StrictProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

	/** Pings every 200 ms, drops after 1 s without an answer; a message answers too. */
	@WebSocketEndpoint(path = "/traffic", name = "traffic")
	static class TrafficProtocol extends PongRecordingProtocol {

		TrafficProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

}
