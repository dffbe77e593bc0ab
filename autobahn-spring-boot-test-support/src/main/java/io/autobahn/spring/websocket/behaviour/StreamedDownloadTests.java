package io.autobahn.spring.websocket.behaviour;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.core.WebSocketBudgets;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sending a message in parts, Autobahn's {@code beginMessage} /
 * {@code sendMessageFrameData} / {@code endMessage}: a 64 MiB download streamed as one
 * binary message in 64 KiB frames, sent only while {@code isWritable()} and going on from
 * {@code onWritable()}, reaches a raw client byte for byte; whole messages sent meanwhile
 * from another thread arrive after it, never between its frames; the server's outbound
 * budget never holds more than about {@code send-buffer-size-limit}. And a text message
 * sent in parts that end on code point boundaries arrives whole. Stack-neutral:
 * subclassed per container.
 */
@SpringBootTest(classes = StreamedDownloadTests.DownloadApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "autobahn.websocket.application.outbound-budget=256MB",
				"autobahn.websocket.endpoints.download.send-buffer-size-limit=1MB" })
class StreamedDownloadTests extends AbstractBehaviourTests {

	static final int FRAME = 64 * 1024;

	static final int FRAMES = 1024;

	static final int WHOLE_MESSAGES = 3;

	@Autowired
	WebSocketBudgets budgets;

	@BeforeEach
	void awaitOutboundBudgetBackAtZero() throws InterruptedException {
		Poll.until("outbound budget of earlier tests back at zero", () -> this.budgets.getOutbound().getInUse() == 0,
				TIMEOUT);
	}

	@Test
	void a64MiBDownloadStreamedInPartsArrivesWholeWithNoOtherMessageInsideIt() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/download")) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			raw.sendText("go");
			RawWebSocket.Frame first = raw.readDataOrClose();
			assertThat(first.opcode()).as("the streamed message's first frame").isEqualTo(RawWebSocket.BINARY);
			long offset = 0;
			RawWebSocket.Frame frame = first;
			int frames = 0;
			for (;;) {
				assertThat(frame.opcode()).as("frame %d, at byte %d of the streamed message", frames, offset)
					.isEqualTo((frames == 0) ? RawWebSocket.BINARY : RawWebSocket.CONTINUATION);
				offset = verify(frame.payload(), offset);
				frames++;
				if (frame.fin()) {
					break;
				}
				if (frames % 8 == 0) {
					// A slow reader: at most about 100 MB/s, so that the producer has to
					// wait.
					Thread.sleep(5);
				}
				frame = raw.readDataOrClose();
			}
			assertThat(offset).as("bytes of the streamed message").isEqualTo((long) FRAME * FRAMES);
			for (int i = 0; i < WHOLE_MESSAGES; i++) {
				RawWebSocket.Frame whole = raw.readMessage();
				assertThat(whole.opcode()).isEqualTo(RawWebSocket.TEXT);
				assertThat(whole.text()).isEqualTo("whole " + i);
			}
			HookRecorder.Event produced = this.recorder.await("produced", TIMEOUT);
			assertThat(produced.details()).containsExactly(FRAMES, "ok");
			assertThat((Integer) this.recorder.await("paused", TIMEOUT).detail(0))
				.as("times the producer waited for onWritable")
				.isPositive();
			assertThat(this.recorder.await("whole sent", TIMEOUT).details()).containsExactly(WHOLE_MESSAGES);
			raw.sendClose(1000, "");
			assertThat(raw.readDataOrClose().closeCode()).isEqualTo(1000);
		}
		HookRecorder.Event closed = this.recorder.await("onClose", TIMEOUT);
		assertThat(closed.details().subList(0, 2)).containsExactly(true, 1000);
		// The connection's credit (up to 64 KiB) and one frame past the high-water mark
		// come on top of the limit.
		assertThat(this.budgets.getOutbound().getPeak()).as("outbound budget's peak").isLessThan(2L * 1024 * 1024);
	}

	@Test
	void aTextMessageSentInPartsArrivesWhole() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/download")) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			raw.sendText("text");
			RawWebSocket.Frame message = raw.readMessage();
			assertThat(message.opcode()).isEqualTo(RawWebSocket.TEXT);
			assertThat(message.text()).isEqualTo(String.join("", TEXT_PARTS));
			raw.sendClose(1000, "");
			assertThat(raw.readDataOrClose().closeCode()).isEqualTo(1000);
		}
	}

	static final String[] TEXT_PARTS = { "Grüße, ", "€100 ", "😀", "", " end" };

	/**
	 * Check a frame's bytes against the pattern at their offset in the message; return
	 * the next offset.
	 */
	private static long verify(byte[] payload, long offset) {
		assertThat(payload.length % 4).as("frame length at byte %d", offset).isZero();
		ByteBuffer buffer = ByteBuffer.wrap(payload);
		for (int i = 0; i < payload.length; i += 4) {
			int expected = (int) ((offset + i) / 4);
			if (buffer.getInt(i) != expected) {
				assertThat(buffer.getInt(i)).as("int at byte %d of the streamed message", offset + i)
					.isEqualTo(expected);
			}
		}
		return offset + payload.length;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, DownloadProtocol.class })
	static class DownloadApplication {

	}

	/**
	 * On "go", streams one binary message of {@code FRAMES} frames, sending only while
	 * writable and going on in onWritable; once it has begun, another thread sends whole
	 * messages, which wait until it ends. On "text", sends a text message in parts.
	 */
	@WebSocketEndpoint(path = "/download", name = "download")
	static class DownloadProtocol extends RecordingProtocol {

		private int sent = -1;

		private int paused;

		DownloadProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			if ("text".equals(new String(payload, StandardCharsets.UTF_8))) {
				beginMessage(false);
				for (String part : TEXT_PARTS) {
					sendMessageFrameData(part.getBytes(StandardCharsets.UTF_8));
				}
				endMessage();
				return;
			}
			beginMessage(true);
			this.sent = 0;
			Thread other = new Thread(this::sendWholeMessages, "whole-message-sender");
			other.setDaemon(true);
			other.start();
			produce();
		}

		@Override
		public void onWritable() {
			if (this.sent >= 0) {
				produce();
			}
		}

		private void sendWholeMessages() {
			for (int i = 0; i < WHOLE_MESSAGES; i++) {
				sendMessage("whole " + i);
			}
			this.recorder.record("whole sent", WHOLE_MESSAGES);
		}

		private synchronized void produce() {
			while (this.sent >= 0 && this.sent < FRAMES && isWritable()) {
				sendMessageFrameData(frame(this.sent));
				this.sent++;
			}
			if (this.sent < 0) {
				return;
			}
			if (this.sent < FRAMES) {
				this.paused++;
			}
			else {
				endMessage();
				this.sent = -1;
				this.recorder.record("paused", this.paused);
				this.recorder.record("produced", FRAMES, "ok");
			}
		}

		private static ByteBuffer frame(int index) {
			ByteBuffer frame = ByteBuffer.allocate(FRAME);
			int first = index * (FRAME / 4);
			for (int i = 0; i < FRAME / 4; i++) {
				frame.putInt(first + i);
			}
			return frame.flip();
		}

	}

}
