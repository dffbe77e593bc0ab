package io.autobahn.spring.websocket.behaviour;

import java.nio.ByteBuffer;

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
 * Back-pressure for senders: a producer that streams 100 MiB to a slower reader, sending
 * only while {@code isWritable()} and going on from {@code onWritable()}, loses nothing
 * and is never dropped, and the server's outbound budget never holds more than about
 * {@code send-buffer-size-limit}; a producer that ignores it is still dropped at the
 * limit. Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = BackPressureTests.BackPressureApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "autobahn.websocket.application.outbound-budget=256MB",
				"autobahn.websocket.endpoints.producer.send-buffer-size-limit=1MB",
				"autobahn.websocket.endpoints.ignorer.send-buffer-size-limit=1MB",
				"autobahn.websocket.endpoints.ignorer.send-time-limit=2s" })
class BackPressureTests extends AbstractBehaviourTests {

	static final int CHUNK = 64 * 1024;

	static final int CHUNKS = 1600;

	@Autowired
	WebSocketBudgets budgets;

	@BeforeEach
	void awaitOutboundBudgetBackAtZero() throws InterruptedException {
		Poll.until("outbound budget of earlier tests back at zero", () -> this.budgets.getOutbound().getInUse() == 0,
				TIMEOUT);
	}

	@Test
	void aProducerThatWaitsForOnWritableStreams100MiBToASlowReaderWithoutLossOrDrop() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/producer")) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			raw.sendText("go");
			for (int sequence = 0; sequence < CHUNKS; sequence++) {
				RawWebSocket.Frame frame = raw.readDataOrClose();
				assertThat(frame.opcode()).as("frame of chunk %d", sequence).isEqualTo(RawWebSocket.BINARY);
				assertThat(frame.payload()).hasSize(CHUNK);
				ByteBuffer payload = ByteBuffer.wrap(frame.payload());
				assertThat(payload.getInt(0)).isEqualTo(sequence);
				assertThat(payload.getInt(CHUNK - 4)).isEqualTo(sequence);
				if (sequence % 8 == 7) {
					// A slow reader: at most about 100 MB/s.
					Thread.sleep(5);
				}
			}
			HookRecorder.Event produced = this.recorder.await("produced", TIMEOUT);
			assertThat(produced.details()).containsExactly(CHUNKS, "ok");
			assertThat((Integer) this.recorder.await("paused", TIMEOUT).detail(0))
				.as("times the producer waited for onWritable")
				.isPositive();
			raw.sendClose(1000, "");
			assertThat(raw.readDataOrClose().closeCode()).isEqualTo(1000);
		}
		HookRecorder.Event closed = this.recorder.await("onClose", TIMEOUT);
		assertThat(closed.details().subList(0, 2)).containsExactly(true, 1000);
		// The connection's credit (up to 64 KiB) and one chunk past the high-water mark
		// come on top of the limit.
		assertThat(this.budgets.getOutbound().getPeak()).as("outbound budget's peak").isLessThan(2L * 1024 * 1024);
	}

	@Test
	void aProducerThatIgnoresItIsStillDroppedAtTheLimit() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connectWithReceiveBuffer(this.port, "/ignorer", 4096)) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			// Reads nothing.
			raw.sendText("go");
			HookRecorder.Event produced = this.recorder.await("produced", TIMEOUT);
			assertThat(produced.detail(1)).isEqualTo("io.autobahn.spring.websocket.Disconnected");
			assertThat((Integer) produced.detail(0)).isLessThan(CHUNKS);
			HookRecorder.Event closed = this.recorder.await("onClose", TIMEOUT);
			assertThat(closed.details().subList(0, 2)).containsExactly(false, 1006);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, ProducerProtocol.class, IgnoringProducerProtocol.class })
	static class BackPressureApplication {

	}

	static byte[] chunk(int sequence) {
		byte[] chunk = new byte[CHUNK];
		ByteBuffer.wrap(chunk).putInt(0, sequence).putInt(CHUNK - 4, sequence);
		return chunk;
	}

	/**
	 * On "go", streams the chunks, sending only while writable and going on in
	 * onWritable.
	 */
	@WebSocketEndpoint(path = "/producer", name = "producer")
	static class ProducerProtocol extends RecordingProtocol {

		private int sent;

		private int paused;

		ProducerProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			produce();
		}

		@Override
		public void onWritable() {
			produce();
		}

		private void produce() {
			while (this.sent < CHUNKS && isWritable()) {
				sendMessage(chunk(this.sent), true);
				this.sent++;
			}
			if (this.sent < CHUNKS) {
				this.paused++;
			}
			else {
				this.recorder.record("paused", this.paused);
				this.recorder.record("produced", this.sent, "ok");
			}
		}

	}

	/** On "go", sends the chunks as fast as it can, without looking at isWritable. */
	@WebSocketEndpoint(path = "/ignorer", name = "ignorer")
	static class IgnoringProducerProtocol extends RecordingProtocol {

		IgnoringProducerProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			int sent = 0;
			String outcome = "ok";
			try {
				while (sent < CHUNKS) {
					sendMessage(chunk(sent), true);
					sent++;
				}
			}
			catch (RuntimeException ex) {
				outcome = ex.getClass().getName();
			}
			this.recorder.record("produced", sent, outcome);
		}

	}

}
