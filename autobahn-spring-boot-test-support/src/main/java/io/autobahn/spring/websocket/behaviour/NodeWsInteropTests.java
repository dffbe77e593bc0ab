package io.autobahn.spring.websocket.behaviour;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import com.jayway.jsonpath.DocumentContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.NodePeers;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interop with Node's {@code ws} (from npm, pinned in
 * {@code src/main/node/package.json}): its client ({@code src/main/node/ws_client.mjs})
 * offers permessage-deflate, sends a non-ASCII text message, a 64 KiB binary message and
 * a 1 MiB binary message (exactly the default {@code max-message-payload-size}), gets
 * each echoed verbatim (the server echoes each as a prepared message, which its
 * connection compresses for itself), and closes with 4000 and a reason. The server side
 * sees the same bytes with the same {@code isBinary}, the negotiated permessage-deflate,
 * and {@code onClose(true, 4000, reason)}. Subclassed per container. Tagged
 * {@code interop}: runs with {@code mvn verify -Pinterop} (which runs {@code npm ci} for
 * the pinned modules), and then fails, rather than skips, without {@code node} or the
 * {@code ws} module.
 */
@Tag("interop")
@SpringBootTest(classes = NodeWsInteropTests.NodeWsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class NodeWsInteropTests extends AbstractBehaviourTests {

	@TempDir
	Path tempDir;

	@Test
	void nodeWsClientSeesItsMessagesEchoedAndClosesCleanly() throws Exception {
		NodePeers.assertInstalled("ws");
		DocumentContext client = NodePeers.run(this.tempDir, Duration.ofSeconds(40), "ws_client.mjs",
				"ws://127.0.0.1:" + this.port + "/node-ws");

		assertThat(client.<String>read("$.error")).as("client error").isNull();
		assertThat(client.<List<Integer>>read("$.sent[*].size")).containsExactly(46, 64 * 1024, 1024 * 1024);
		assertThat(client.<List<Boolean>>read("$.received[*].equal")).containsExactly(true, true, true);
		assertThat(client.<List<Boolean>>read("$.received[*].isBinary")).containsExactly(false, true, true);
		assertThat(client.<List<String>>read("$.extensions")).containsExactly("permessage-deflate");
		assertThat(client.<Integer>read("$.close.code")).isEqualTo(4000);
		assertThat(client.<Boolean>read("$.ok")).isTrue();

		assertServerSide(this.recorder, client, "bye from node ws");
	}

	/**
	 * What the server saw: the client's bytes (by digest), permessage-deflate, a clean
	 * close.
	 */
	static void assertServerSide(HookRecorder recorder, DocumentContext client, String closeReason) throws Exception {
		assertThat(recorder.await("onOpen", TIMEOUT).details()).containsExactly(List.of("permessage-deflate"));
		List<String> digests = client.read("$.sent[*].sha256");
		List<Boolean> binary = client.read("$.sent[*].isBinary");
		for (int i = 0; i < digests.size(); i++) {
			HookRecorder.Event message = recorder.await("onMessage", TIMEOUT);
			assertThat(sha256((byte[]) message.detail(0))).as("message %d", i).isEqualTo(digests.get(i));
			assertThat(message.detail(1)).as("isBinary of message %d", i).isEqualTo(binary.get(i));
		}
		assertThat(recorder.await("onClose", TIMEOUT).details()).containsExactly(true, 4000, closeReason);
	}

	static String sha256(byte[] data) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, NodeWsEchoProtocol.class })
	static class NodeWsApplication {

	}

	/**
	 * Records the negotiated extensions in {@code onOpen}, and echoes every message as a
	 * prepared message.
	 */
	@WebSocketEndpoint("/node-ws")
	static class NodeWsEchoProtocol extends RecordingProtocol {

		NodeWsEchoProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onOpen() {
			this.recorder.record("onOpen", getExtensions());
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			this.recorder.recordNullable("onMessage", payload, isBinary);
			sendPreparedMessage(getConnections().prepareMessage(payload, isBinary));
		}

	}

}
