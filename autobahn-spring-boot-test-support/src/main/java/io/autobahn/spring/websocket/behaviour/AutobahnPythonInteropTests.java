package io.autobahn.spring.websocket.behaviour;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
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
import io.autobahn.spring.websocket.test.PythonPeers;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Interop with Autobahn|Python itself, the library this starter ports: its Twisted client
 * ({@code src/main/python/autobahn_client.py}, run with Debian's
 * {@code python3-autobahn}) negotiates permessage-deflate with our echo endpoint, gets a
 * non-ASCII text message, an 80 KB binary message and a text message sent in 100-byte
 * fragments echoed back verbatim, and closes cleanly with 4000; the server side sees the
 * same three messages (the fragmented one assembled) and
 * {@code onClose(true, 4000, "bye from autobahn")}. Subclassed per container. Tagged
 * {@code interop}: runs with {@code mvn verify -Pinterop}, and then fails, rather than
 * skips, without {@code python3-autobahn}.
 */
@Tag("interop")
@SpringBootTest(classes = AutobahnPythonInteropTests.InteropApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
class AutobahnPythonInteropTests extends AbstractBehaviourTests {

	// Must match MESSAGES in autobahn_client.py.
	private static final String TEXT = "héllo wörld ✓ Ωμέγα 🚀";

	private static final int BINARY_SIZE = 80_000;

	@TempDir
	Path tempDir;

	@Test
	void autobahnPythonClientSeesItsMessagesEchoedAndClosesCleanly() throws Exception {
		PythonPeers.assertAutobahnInstalled();
		byte[] text = TEXT.getBytes(StandardCharsets.UTF_8);
		byte[] binary = binaryPayload();
		byte[] fragmented = fragmentedText().getBytes(StandardCharsets.UTF_8);

		DocumentContext client = runClient("ws://127.0.0.1:" + this.port + "/interop");

		List<String> sentDigests = client.read("$.sent[*].sha256");
		assertThat(sentDigests).as("payloads of the script and of this test")
			.containsExactly(sha256(text), sha256(binary), sha256(fragmented));
		assertThat(client.<List<Boolean>>read("$.received[*].equal")).containsExactly(true, true, true);
		assertThat(client.<List<Boolean>>read("$.received[*].isBinary")).containsExactly(false, true, false);
		assertThat(client.<List<String>>read("$.extensions")).containsExactly("permessage-deflate");
		assertThat(client.<Boolean>read("$.close.wasClean")).isTrue();
		assertThat(client.<Boolean>read("$.ok")).isTrue();

		HookRecorder.Event open = this.recorder.await("onOpen", TIMEOUT);
		assertThat(open.details()).containsExactly(List.of("permessage-deflate"));
		assertMessage(this.recorder.await("onMessage", TIMEOUT), text, false);
		assertMessage(this.recorder.await("onMessage", TIMEOUT), binary, true);
		assertMessage(this.recorder.await("onMessage", TIMEOUT), fragmented, false);
		assertThat(this.recorder.await("onClose", TIMEOUT).details()).containsExactly(true, 4000, "bye from autobahn");
	}

	private static void assertMessage(HookRecorder.Event message, byte[] expected, boolean isBinary) {
		assertThat((byte[]) message.detail(0)).isEqualTo(expected);
		assertThat(message.detail(1)).isEqualTo(isBinary);
	}

	private DocumentContext runClient(String url) throws Exception {
		Path script = PythonPeers.script(this.tempDir, "autobahn_client.py");
		Path stdout = this.tempDir.resolve("stdout.txt");
		Path stderr = this.tempDir.resolve("stderr.txt");
		Process process = new ProcessBuilder(PythonPeers.PYTHON, script.toString(), url).redirectOutput(stdout.toFile())
			.redirectError(stderr.toFile())
			.start();
		// The script gives up by itself after 20 s (a hard alarm at 25 s).
		if (!process.waitFor(40, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			fail("Autobahn|Python client did not finish in 40 s" + output(stdout, stderr));
		}
		List<String> lines = new ArrayList<>(Files.readAllLines(stdout, StandardCharsets.UTF_8));
		lines.removeIf(String::isBlank);
		if (process.exitValue() != 0 || lines.isEmpty()) {
			fail("Autobahn|Python client exited with " + process.exitValue() + output(stdout, stderr));
		}
		String json = lines.get(lines.size() - 1);
		System.out.println("Autobahn|Python client saw: " + json);
		return JsonPath.parse(json);
	}

	private static String output(Path stdout, Path stderr) throws IOException {
		return "\n--- stdout ---\n" + Files.readString(stdout) + "\n--- stderr ---\n" + Files.readString(stderr);
	}

	/**
	 * SHA-256("autobahn-interop" + 4-byte big-endian counter) blocks, as the script makes
	 * them.
	 */
	static byte[] binaryPayload() throws Exception {
		byte[] out = new byte[BINARY_SIZE];
		int length = 0;
		for (int counter = 0; length < out.length; counter++) {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update("autobahn-interop".getBytes(StandardCharsets.US_ASCII));
			digest.update(new byte[] { (byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8),
					(byte) counter });
			byte[] block = digest.digest();
			int count = Math.min(block.length, out.length - length);
			System.arraycopy(block, 0, out, length, count);
			length += count;
		}
		return out;
	}

	static String fragmentedText() {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 300; i++) {
			text.append(String.format("%04d:ßø✓€🚀 ", i));
		}
		return text.toString();
	}

	private static String sha256(byte[] data) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, InteropEchoProtocol.class })
	static class InteropApplication {

	}

	/** Records the negotiated extensions in {@code onOpen}. */
	@WebSocketEndpoint("/interop")
	static class InteropEchoProtocol extends RecordingProtocol {

		InteropEchoProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onOpen() {
			this.recorder.record("onOpen", getExtensions());
		}

	}

}
