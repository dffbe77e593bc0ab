package io.autobahn.spring.websocket.behaviour;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The echo endpoint of the README, over real sockets: text and binary arrive as sent,
 * {@code onClose} sees the peer's close code and reason, and a dropped TCP connection is an
 * unclean close with 1006. Subclassed per container.
 */
@SpringBootTest(classes = EchoTests.EchoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class EchoTests extends AbstractBehaviourTests {

	@Test
	void echoesTextAsTextAndDeliversItsUtf8Bytes() throws Exception {
		JdkClient client = JdkClient.connect(this.port, "/echo");
		client.sendText("héllo wörld ✓");
		JdkClient.Received echoed = client.next();
		assertThat(echoed.kind()).isEqualTo(JdkClient.Received.Kind.TEXT);
		assertThat(echoed.text()).isEqualTo("héllo wörld ✓");
		HookRecorder.Event message = this.recorder.await("onMessage", TIMEOUT);
		assertThat((byte[]) message.detail(0)).isEqualTo("héllo wörld ✓".getBytes(StandardCharsets.UTF_8));
		assertThat(message.detail(1)).isEqualTo(false);
		client.sendClose(1000, "bye");
		this.recorder.await("onClose", TIMEOUT);
	}

	@Test
	void echoesBinaryAsBinary() throws Exception {
		byte[] data = new byte[70_000];
		for (int i = 0; i < data.length; i++) {
			data[i] = (byte) (i * 31);
		}
		JdkClient client = JdkClient.connect(this.port, "/echo");
		client.sendBinary(data);
		JdkClient.Received echoed = client.next();
		assertThat(echoed.kind()).isEqualTo(JdkClient.Received.Kind.BINARY);
		assertThat(echoed.payload()).isEqualTo(data);
		assertThat(this.recorder.await("onMessage", TIMEOUT).detail(1)).isEqualTo(true);
		client.sendClose(1000, "bye");
		this.recorder.await("onClose", TIMEOUT);
	}

	@Test
	void onCloseSeesThePeersCodeAndReason() throws Exception {
		JdkClient client = JdkClient.connect(this.port, "/echo");
		this.recorder.await("onOpen", TIMEOUT);
		client.sendClose(4000, "done here");
		HookRecorder.Event close = this.recorder.await("onClose", TIMEOUT);
		assertThat(close.details()).containsExactly(true, 4000, "done here");
		assertThat(client.awaitClose().closeCode()).isEqualTo(4000);
	}

	@Test
	void droppedConnectionIsUncleanWith1006() throws Exception {
		RawWebSocket raw = RawWebSocket.connect(this.port, "/echo", Map.of());
		assertThat(raw.handshake().status()).isEqualTo(101);
		this.recorder.await("onOpen", TIMEOUT);
		raw.abort();
		HookRecorder.Event close = this.recorder.await("onClose", TIMEOUT);
		assertThat(close.detail(0)).isEqualTo(false);
		assertThat(close.detail(1)).isEqualTo(1006);
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
