package io.autobahn.spring.websocket.behaviour;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.RecordingProtocol;
import io.autobahn.spring.websocket.test.TestWebSocket;
import io.autobahn.spring.websocket.test.WebSocketTestClient;
import io.autobahn.spring.websocket.test.autoconfigure.AutoConfigureWebSocketTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The echo endpoint of the README, over real sockets: text and binary arrive as sent,
 * {@code onClose} sees the peer's close code and reason, and a dropped TCP connection is
 * an unclean close with 1006. The client is the users' test kit
 * ({@link WebSocketTestClient}). Subclassed per container.
 */
@SpringBootTest(classes = EchoTests.EchoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebSocketTestClient
class EchoTests extends AbstractBehaviourTests {

	@Autowired
	WebSocketTestClient webSocket;

	@Test
	void echoesTextAsTextAndDeliversItsUtf8Bytes() throws Exception {
		try (TestWebSocket client = this.webSocket.connect("/echo")) {
			client.sendText("héllo wörld ✓");
			assertThat(client.nextMessage()).isText().hasText("héllo wörld ✓");
			HookRecorder.Event message = this.recorder.await("onMessage", TIMEOUT);
			assertThat((byte[]) message.detail(0)).isEqualTo("héllo wörld ✓".getBytes(StandardCharsets.UTF_8));
			assertThat(message.detail(1)).isEqualTo(false);
			client.sendClose(1000, "bye");
			assertThat(client.awaitClose()).hasCode(1000);
		}
		this.recorder.await("onClose", TIMEOUT);
	}

	@Test
	void echoesBinaryAsBinary() throws Exception {
		byte[] data = new byte[70_000];
		for (int i = 0; i < data.length; i++) {
			data[i] = (byte) (i * 31);
		}
		try (TestWebSocket client = this.webSocket.connect("/echo")) {
			client.sendBinary(data);
			assertThat(client.nextMessage()).isBinary().hasPayload(data);
			assertThat(this.recorder.await("onMessage", TIMEOUT).detail(1)).isEqualTo(true);
		}
		this.recorder.await("onClose", TIMEOUT);
	}

	@Test
	void onCloseSeesThePeersCodeAndReason() throws Exception {
		try (TestWebSocket client = this.webSocket.connect("/echo")) {
			this.recorder.await("onOpen", TIMEOUT);
			client.sendClose(4000, "done here");
			HookRecorder.Event close = this.recorder.await("onClose", TIMEOUT);
			assertThat(close.details()).containsExactly(true, 4000, "done here");
			assertThat(client.awaitClose()).hasCode(4000);
		}
	}

	@Test
	void droppedConnectionIsUncleanWith1006() throws Exception {
		try (TestWebSocket client = this.webSocket.connect("/echo")) {
			this.recorder.await("onOpen", TIMEOUT);
			client.raw().abort();
			HookRecorder.Event close = this.recorder.await("onClose", TIMEOUT);
			assertThat(close.detail(0)).isEqualTo(false);
			assertThat(close.detail(1)).isEqualTo(1006);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, RecordingEchoProtocol.class })
	static class EchoApplication {

	}

	@WebSocketEndpoint("/echo")
	static class RecordingEchoProtocol extends RecordingProtocol {

		RecordingEchoProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

}
