package io.autobahn.spring.sample.echo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.DocumentContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.autobahn.spring.websocket.test.NodePeers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page in a real browser: headless Chromium (Debian's {@code chromium}, driven
 * by {@code playwright-core} from the starter's interop peers,
 * {@code autobahn-spring-boot-test-support/src/main/node/sample_chat_client.mjs}, as the
 * starter's {@code BrowserInteropTests}) opens {@code /chat.html} in two tabs of one
 * browser, served by the application (same origin), in the same room. They chat through
 * the page's form, each tab shows the other's line, and the live panel, which reads the
 * Actuator every second, shows the two open connections of the chat endpoint; the ticker
 * line shows what the scheduled broadcast says (two in the chat). No request of either
 * tab fails and no script error is logged. Tagged {@code interop}: runs with
 * {@code -Pinterop}, and then fails, rather than skips, without {@code node},
 * {@code playwright-core} or Chromium.
 */
@Tag("interop")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "autobahn.websocket.endpoints.greeting.port=0")
class ChatPageBrowserTests {

	@LocalServerPort
	int port;

	@TempDir
	Path tempDir;

	@Test
	void twoTabsChatInOneRoomAndThePanelCountsThem() throws Exception {
		NodePeers.assertChromium();
		DocumentContext tabs = NodePeers.run(this.tempDir, Duration.ofSeconds(90), "sample_chat_client.mjs",
				"http://127.0.0.1:" + this.port, "browser-test");

		assertThat(tabs.<String>read("$.error")).as("browser error").isNull();
		assertThat(tabs.<List<Integer>>read("$.status")).containsExactly(200, 200);
		assertThat(tabs.<String>read("$.title")).isEqualTo("Autobahn chat");
		assertThat(tabs.<List<String>>read("$.alice")).containsSubsequence("* alice joined browser-test (here: alice)",
				"* bob joined browser-test (here: alice, bob)", "alice: hello bob, from tab one",
				"bob: hello alice, from tab two");
		assertThat(tabs.<List<String>>read("$.bob")).containsSubsequence("* bob joined browser-test (here: alice, bob)",
				"alice: hello bob, from tab one", "bob: hello alice, from tab two");
		assertThat(tabs.<List<String>>read("$.panel[?(@.endpoint == 'chatProtocol')].open")).containsExactly("2");
		assertThat(tabs.<List<String>>read("$.panel[?(@.endpoint == 'chatProtocol')].path")).containsExactly("/chat");
		assertThat(tabs.<List<String>>read("$.panel[?(@.endpoint == 'chatProtocol')].sparkline")).singleElement()
			.asString()
			.isNotBlank();
		assertThat(tabs.<List<String>>read("$.panel[*].endpoint")).contains("echoServerProtocol", "myServerProtocol",
				"tickerProtocol", "greeting");
		assertThat(tabs.<String>read("$.tick")).matches("tick \\S+ chat 2");
		assertThat(tabs.<String>read("$.panelStatus")).startsWith("read at");
		assertThat(tabs.<List<String>>read("$.problems")).isEmpty();
		assertThat(tabs.<Boolean>read("$.ok")).isTrue();
	}

}
