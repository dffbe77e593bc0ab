package io.autobahn.spring.websocket.behaviour;

import java.nio.file.Path;
import java.time.Duration;
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
 * Interop with a real browser: headless Chromium (Debian's {@code chromium}, driven by
 * {@code playwright-core} from {@code src/main/node/browser_client.mjs}) loads
 * {@code static/browser-interop.html} from the application itself (so the WebSocket's
 * {@code Origin} is the application's: same origin, allowed by default) and, with the
 * browser's own WebSocket, which negotiates permessage-deflate by itself, exchanges a
 * non-ASCII text message, a 64 KiB and a 256 KiB binary message and closes with 4000 and
 * a reason. Both sides are checked as in {@link NodeWsInteropTests}. Subclassed per
 * container. Tagged {@code interop}: runs with {@code mvn verify -Pinterop}, and then
 * fails, rather than skips, without {@code node}, {@code playwright-core} or Chromium.
 */
@Tag("interop")
@SpringBootTest(classes = BrowserInteropTests.BrowserApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class BrowserInteropTests extends AbstractBehaviourTests {

	@TempDir
	Path tempDir;

	@Test
	void chromiumSeesItsMessagesEchoedAndClosesCleanly() throws Exception {
		NodePeers.assertChromium();
		DocumentContext client = NodePeers.run(this.tempDir, Duration.ofSeconds(60), "browser_client.mjs",
				"http://127.0.0.1:" + this.port + "/browser-interop.html", "/browser");

		assertThat(client.<String>read("$.error")).as("browser error").isNull();
		assertThat(client.<List<Integer>>read("$.sent[*].size")).containsExactly(47, 64 * 1024, 256 * 1024);
		assertThat(client.<List<Boolean>>read("$.received[*].equal")).containsExactly(true, true, true);
		assertThat(client.<List<Boolean>>read("$.received[*].isBinary")).containsExactly(false, true, true);
		assertThat(client.<List<String>>read("$.extensions")).containsExactly("permessage-deflate");
		assertThat(client.<Integer>read("$.close.code")).isEqualTo(4000);
		assertThat(client.<Boolean>read("$.close.wasClean")).isTrue();
		assertThat(client.<Boolean>read("$.ok")).isTrue();

		NodeWsInteropTests.assertServerSide(this.recorder, client, "bye from chromium");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, BrowserEchoProtocol.class })
	static class BrowserApplication {

	}

	/** Records the negotiated extensions in {@code onOpen}. */
	@WebSocketEndpoint("/browser")
	static class BrowserEchoProtocol extends RecordingProtocol {

		BrowserEchoProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onOpen() {
			this.recorder.record("onOpen", getExtensions());
		}

	}

}
