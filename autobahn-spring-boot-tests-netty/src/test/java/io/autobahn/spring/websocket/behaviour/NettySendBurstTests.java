package io.autobahn.spring.websocket.behaviour;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Echoes written on the event loop are flushed once per turn of the loop, and a burst of
 * them larger than {@code send-buffer-size-limit} must not count as a peer that does not
 * read: bytes not flushed yet are not the peer's to read.
 */
@SpringBootTest(classes = NettySendBurstTests.SendBurstApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "autobahn.websocket.endpoints.burst.send-buffer-size-limit=64KB")
class NettySendBurstTests extends AbstractBehaviourTests {

	static final int MESSAGES = 64;

	static final int SIZE = 16 * 1024;

	@Test
	void burstOfEchoesLargerThanTheSendBufferLimitIsDelivered() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/burst")) {
			for (int i = 0; i < MESSAGES; i++) {
				byte[] message = new byte[SIZE];
				message[0] = (byte) i;
				raw.sendBinary(message);
			}
			for (int i = 0; i < MESSAGES; i++) {
				RawWebSocket.Frame echo = raw.readDataOrClose();
				assertThat(echo.opcode()).as("frame %d", i).isEqualTo(RawWebSocket.BINARY);
				assertThat(echo.payload()).hasSize(SIZE);
				assertThat(echo.payload()[0]).isEqualTo((byte) i);
			}
			raw.sendClose(1000, "");
			assertThat(this.recorder.await("onClose", TIMEOUT).detail(0)).isEqualTo(true);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, BurstProtocol.class })
	static class SendBurstApplication {

	}

	@WebSocketEndpoint(value = "/burst", name = "burst")
	static class BurstProtocol extends RecordingProtocol {

		BurstProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

}
