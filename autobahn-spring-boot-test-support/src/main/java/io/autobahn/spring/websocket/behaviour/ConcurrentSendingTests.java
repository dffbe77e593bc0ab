package io.autobahn.spring.websocket.behaviour;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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

import io.autobahn.spring.websocket.Disconnected;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.LogLines;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The send path under load and against a peer that does not read. Eight threads sending
 * 500 fragmented text and binary messages each on one connection deliver all 4000 intact,
 * in per-thread order, without interleaving the frames of two messages and without a
 * server error. A client that never reads makes the sending loop end with
 * {@link Disconnected} in bounded time (it never blocks forever), with a WARN naming the
 * endpoint and the reason, {@code onClose(false, 1006, ...)} exactly once, and the
 * connection gone from the registry, while another connection is served as usual. A
 * message another thread has sent is not overtaken by one the hook sends after it.
 * Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = ConcurrentSendingTests.ConcurrentSendingApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "autobahn.websocket.endpoints.blast.send-buffer-size-limit=256MB",
				"autobahn.websocket.endpoints.flood.send-buffer-size-limit=256KB",
				"autobahn.websocket.endpoints.flood.send-time-limit=2s" })
@ExtendWith(OutputCaptureExtension.class)
class ConcurrentSendingTests extends AbstractBehaviourTests {

	static final int THREADS = 8;

	static final int MESSAGES_PER_THREAD = 500;

	static final int FRAGMENT_SIZE = 4096;

	@Test
	void eightThreadsSendingAtOnceNeverInterleaveFramesOrCorruptMessages(CapturedOutput output) throws Exception {
		int mark = output.getAll().length();
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/blast")) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			int[] nextSequence = new int[THREADS];
			int multiFrameMessages = 0;
			int textMessages = 0;
			for (int received = 0; received < THREADS * MESSAGES_PER_THREAD; received++) {
				RawWebSocket.Frame first = raw.readDataOrClose();
				assertThat(first.opcode()).as("first frame of message %d", received)
					.isIn(RawWebSocket.TEXT, RawWebSocket.BINARY);
				ByteArrayOutputStream joined = new ByteArrayOutputStream();
				joined.writeBytes(first.payload());
				RawWebSocket.Frame frame = first;
				int frames = 1;
				while (!frame.fin()) {
					frame = raw.readFrame();
					if (frame.opcode() == RawWebSocket.PING || frame.opcode() == RawWebSocket.PONG) {
						continue;
					}
					assertThat(frame.opcode())
						.as("frame inside message %d (frames of two messages interleaved)", received)
						.isEqualTo(RawWebSocket.CONTINUATION);
					joined.writeBytes(frame.payload());
					frames++;
				}
				byte[] message = joined.toByteArray();
				String header = new String(message, 0, Math.min(message.length, 40), StandardCharsets.ISO_8859_1);
				String[] fields = header.substring(0, header.indexOf('|')).split(" ");
				int thread = Integer.parseInt(fields[0].substring(1));
				int sequence = Integer.parseInt(fields[1]);
				assertThat(sequence).as("order of thread %d", thread).isEqualTo(nextSequence[thread]);
				nextSequence[thread]++;
				boolean binary = first.opcode() == RawWebSocket.BINARY;
				assertThat(binary).isEqualTo(isBinary(thread, sequence));
				assertThat(Arrays.equals(message, message(thread, sequence)))
					.as("content of message %d of thread %d", sequence, thread)
					.isTrue();
				assertThat(frames).isEqualTo((message.length + FRAGMENT_SIZE - 1) / FRAGMENT_SIZE);
				multiFrameMessages += (frames > 1) ? 1 : 0;
				textMessages += binary ? 0 : 1;
			}
			assertThat(nextSequence).containsOnly(MESSAGES_PER_THREAD);
			assertThat(multiFrameMessages).isGreaterThan(1000);
			assertThat(textMessages).isBetween(1000, 3000);
			for (int i = 0; i < THREADS; i++) {
				assertThat(this.recorder.await("senderDone", TIMEOUT).detail(1)).isEqualTo("ok");
			}
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
		String log = output.getAll().substring(mark);
		assertThat(log).doesNotContain(" ERROR ").doesNotContain("Exception");
	}

	@Test
	void peerThatNeverReadsEndsTheSendLoopWithDisconnected(CapturedOutput output) throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/flood")) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			// The client reads nothing from here on. Another connection is served
			// meanwhile.
			try (RawWebSocket other = RawWebSocket.connect(this.port, "/handoff")) {
				other.sendText("go during the flood");
				assertThat(other.readDataOrClose().text()).isEqualTo("from another thread during the flood");
				assertThat(other.readDataOrClose().text()).isEqualTo("from the hook during the flood");
				other.sendClose(1000, "");
				this.recorder.await((event) -> event.hook().equals("onClose") && event.details().get(1).equals(1000),
						TIMEOUT);
			}
			HookRecorder.Event ended = this.recorder.await("floodEnded", TIMEOUT);
			assertThat(ended.detail(0)).as("how the send loop ended: %s", ended.details())
				.isEqualTo(Disconnected.class.getName());
			assertThat((Long) ended.detail(2)).as("ms the send loop ran").isLessThan(TIMEOUT.toMillis());
			HookRecorder.Event close = this.recorder.await("onClose", TIMEOUT);
			assertThat(close.detail(0)).isEqualTo(false);
			assertThat(close.detail(1)).isEqualTo(1006);
			Poll.until("registry is empty", () -> this.registry.size() == 0, TIMEOUT);
			Poll.until("WARN about the slow peer (the send loop ended with " + ended.details() + ")",
					() -> warnAboutFlood(output.getAll()) != null, TIMEOUT);
			String warn = warnAboutFlood(output.getAll());
			assertThat(warn).contains("'flood'").contains("tcp4:127.0.0.1:" + raw.socket().getLocalPort());
			assertThat(warn).containsAnyOf("send buffer limit", "send time limit");
			assertThat(this.recorder.drain()).noneMatch((event) -> event.hook().equals("onClose"));
		}
	}

	private static @Nullable String warnAboutFlood(String log) {
		return LogLines.first(log, " WARN ", "Dropping", "'flood'");
	}

	static boolean isBinary(int thread, int sequence) {
		return ((thread + sequence) % 2) == 0;
	}

	/**
	 * Message {@code sequence} of sender {@code thread}: a header, then filler up to ~20
	 * KB.
	 */
	static byte[] message(int thread, int sequence) {
		int mix = Math.floorMod(thread * 7919 + sequence * 104_729, 20_000);
		int size = (sequence % 10 == 0) ? 10_000 + mix / 2 : mix / 3;
		byte[] header = ("T" + thread + " " + sequence + " " + size + "|").getBytes(StandardCharsets.US_ASCII);
		byte[] message = new byte[header.length + size];
		System.arraycopy(header, 0, message, 0, header.length);
		boolean binary = isBinary(thread, sequence);
		for (int i = 0; i < size; i++) {
			int value = thread * 31 + sequence * 17 + i;
			message[header.length + i] = binary ? (byte) (value * 131) : (byte) ('A' + value % 58);
		}
		return message;
	}

	@Test
	void sendFromAnotherThreadIsNotOvertakenByALaterSendFromTheHook() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/handoff")) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			for (int i = 0; i < 20; i++) {
				raw.sendText("go " + i);
				assertThat(raw.readDataOrClose().text()).isEqualTo("from another thread " + i);
				assertThat(raw.readDataOrClose().text()).isEqualTo("from the hook " + i);
			}
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, BlastProtocol.class, FloodProtocol.class, HandoffProtocol.class })
	static class ConcurrentSendingApplication {

	}

	/** From {@code onOpen}, starts eight threads that each send 500 messages. */
	@WebSocketEndpoint(path = "/blast", name = "blast")
	static class BlastProtocol extends RecordingProtocol {

		BlastProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onOpen() {
			for (int t = 0; t < THREADS; t++) {
				int thread = t;
				Thread sender = new Thread(() -> {
					String result = "ok";
					try {
						for (int sequence = 0; sequence < MESSAGES_PER_THREAD; sequence++) {
							byte[] message = message(thread, sequence);
							sendMessage(message, isBinary(thread, sequence), FRAGMENT_SIZE);
						}
					}
					catch (RuntimeException ex) {
						result = ex.toString();
					}
					this.recorder.record("senderDone", thread, result);
				}, "blast-sender-" + t);
				sender.setDaemon(true);
				sender.start();
			}
		}

	}

	/**
	 * From {@code onOpen}, starts a thread sending 64 KiB messages until a send fails.
	 */
	@WebSocketEndpoint(path = "/flood", name = "flood")
	static class FloodProtocol extends RecordingProtocol {

		FloodProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onOpen() {
			Thread sender = new Thread(() -> {
				long start = System.nanoTime();
				byte[] chunk = new byte[64 * 1024];
				int sent = 0;
				String ended;
				String message;
				try {
					while (sent < 100_000) {
						sendMessage(chunk, true);
						sent++;
					}
					ended = "loop finished without failing";
					message = "";
				}
				catch (RuntimeException ex) {
					ended = ex.getClass().getName();
					message = String.valueOf(ex.getMessage());
				}
				this.recorder.record("floodEnded", ended, sent, (System.nanoTime() - start) / 1_000_000, message);
			}, "flood-sender");
			sender.setDaemon(true);
			sender.start();
		}

	}

	/**
	 * For every message, has another thread send one and waits until that send returned,
	 * then sends one itself.
	 */
	@WebSocketEndpoint(path = "/handoff", name = "handoff")
	static class HandoffProtocol extends RecordingProtocol {

		HandoffProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			String round = new String(payload, StandardCharsets.UTF_8).substring("go ".length());
			CountDownLatch sent = new CountDownLatch(1);
			Thread other = new Thread(() -> {
				sendMessage("from another thread " + round);
				sent.countDown();
			}, "handoff-sender");
			other.setDaemon(true);
			other.start();
			try {
				assertThat(sent.await(5, TimeUnit.SECONDS)).isTrue();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			sendMessage("from the hook " + round);
		}

	}

}
