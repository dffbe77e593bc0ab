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
 * {@code max-frame-payload-size}, which only Reactor Netty applies: a frame over the
 * limit closes the connection with 1009 ({@code Message too big}, the reason the starter
 * gives every 1009) before its payload is read, while a message of the same size in
 * smaller frames is delivered.
 */
@SpringBootTest(classes = FrameLimitTests.FrameLimitApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "autobahn.websocket.endpoints.framed.max-frame-payload-size=1KB")
class FrameLimitTests extends AbstractBehaviourTests {

	@Test
	void frameOverTheLimitClosesWith1009() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/framed")) {
			raw.sendFrame(true, 0, RawWebSocket.BINARY, new byte[2048]);
			RawWebSocket.Frame close = raw.readDataOrClose();
			assertThat(close.closeCode()).isEqualTo(1009);
			// The starter's reason, not Netty's "Max frame length of 1024 has been
			// exceeded."
			assertThat(close.closeReason()).isEqualTo("Message too big");
		}
	}

	@Test
	void sameMessageInFramesUnderTheLimitIsDelivered() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/framed")) {
			raw.sendFrame(false, 0, RawWebSocket.BINARY, new byte[1024]);
			raw.sendFrame(true, 0, RawWebSocket.CONTINUATION, new byte[1024]);
			RawWebSocket.Frame echo = raw.readDataOrClose();
			assertThat(echo.opcode()).isEqualTo(RawWebSocket.BINARY);
			assertThat(echo.payload()).hasSize(2048);
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, FramedProtocol.class })
	static class FrameLimitApplication {

	}

	@WebSocketEndpoint(value = "/framed", name = "framed")
	static class FramedProtocol extends RecordingProtocol {

		FramedProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

}
