package io.autobahn.spring.websocket.behaviour;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import io.autobahn.spring.websocket.WebSocketClient;
import io.autobahn.spring.websocket.WebSocketClientProtocol;
import io.autobahn.spring.websocket.WebSocketConnector;
import io.autobahn.spring.websocket.test.NodePeers;
import io.autobahn.spring.websocket.test.PeerProcess;
import io.autobahn.spring.websocket.test.PythonPeers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's client against servers nobody here wrote: Autobahn|Python's Twisted
 * server ({@code src/main/python/autobahn_server.py}, Debian's {@code python3-autobahn})
 * and Node's {@code ws} server ({@code src/main/node/ws_server.mjs}). Against each, the
 * client echoes a non-ASCII text message, an 80 KB binary message and a 1 MiB binary
 * message (exactly the client's default {@code max-message-payload-size}) with
 * permessage-deflate where its transport offers it, then closes with 4000 and a reason
 * the server reports; a second connection asks the server to close, and the client's
 * {@code onClose} gets the server's 4001 and reason. Tagged {@code interop}: runs with
 * {@code mvn verify -Pinterop}, and then fails, rather than skips, without
 * {@code python3-autobahn}, {@code node} or the {@code ws} module.
 * <p>
 * Client-side: each stack module runs it through a subclass that names the client
 * transport.
 */
@Tag("interop")
@SpringBootTest(classes = ClientInteropTests.ClientApplication.class, webEnvironment = WebEnvironment.NONE)
abstract class ClientInteropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Autowired
	WebSocketConnector connector;

	@Autowired
	Environment environment;

	@TempDir
	Path tempDir;

	@Test
	void exchangesAndClosesWithAutobahnPythonsTwistedServer() throws Exception {
		PythonPeers.assertAutobahnInstalled();
		Path script = PythonPeers.script(this.tempDir, "autobahn_server.py");
		try (PeerProcess server = PeerProcess.start(this.tempDir, this.tempDir,
				List.of(PythonPeers.PYTHON, script.toString(), "2"))) {
			assertExchangesAndCloses(server, "bye from autobahn");
		}
	}

	@Test
	void exchangesAndClosesWithNodeWsServer() throws Exception {
		NodePeers.assertInstalled("ws");
		Path directory = NodePeers.directory();
		try (PeerProcess server = PeerProcess.start(this.tempDir, directory,
				List.of("node", directory.resolve("ws_server.mjs").toString(), "2"))) {
			assertExchangesAndCloses(server, "bye from node ws");
		}
	}

	private void assertExchangesAndCloses(PeerProcess server, String serverCloseReason) throws Exception {
		DocumentContext listening = server.nextLine(TIMEOUT);
		assertThat(listening.<String>read("$.event")).isEqualTo("listening");
		URI uri = URI.create("ws://127.0.0.1:" + listening.<Integer>read("$.port") + "/");
		List<String> extensions = "jdk".equals(transport()) ? List.of() : List.of("permessage-deflate");

		InteropClient client = connect(uri);
		assertThat(client.getExtensions()).isEqualTo(extensions);
		byte[] text = "héllo wörld ✓ Ωμέγα 🚀 from the starter".getBytes(StandardCharsets.UTF_8);
		byte[] binary = payload(80_000, 1);
		byte[] large = payload(1024 * 1024, 2);
		assertEchoed(client, text, false);
		assertEchoed(client, binary, true);
		assertEchoed(client, large, true);
		client.sendClose(4000, "bye from the client");
		assertThat(client.closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)[0]).as("client's wasClean")
			.isEqualTo(true);
		DocumentContext clientClosed = server.nextLine(TIMEOUT);
		assertThat(clientClosed.<String>read("$.event")).isEqualTo("close");
		assertThat(clientClosed.<Integer>read("$.code")).isEqualTo(4000);
		assertThat(clientClosed.<String>read("$.reason")).isEqualTo("bye from the client");
		assertThat(clientClosed.<List<String>>read("$.extensions")).isEqualTo(extensions);
		assertThat(clientClosed.<List<String>>read("$.messages[*].sha256")).containsExactly(sha256(text),
				sha256(binary), sha256(large));
		assertThat(clientClosed.<List<Boolean>>read("$.messages[*].isBinary")).containsExactly(false, true, true);

		InteropClient second = connect(uri);
		second.sendMessage("close please");
		assertThat(second.closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).containsExactly(true, 4001,
				serverCloseReason);
		assertThat(server.nextLine(TIMEOUT).<Integer>read("$.code")).isEqualTo(4001);
	}

	private InteropClient connect(URI uri) throws Exception {
		return this.connector.connect(uri, InteropClient.class).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

	private static void assertEchoed(InteropClient client, byte[] payload, boolean isBinary) throws Exception {
		client.sendMessage(payload, isBinary);
		Object[] echo = client.messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(echo).as("echo of %d bytes", payload.length).isNotNull();
		assertThat((byte[]) echo[0]).isEqualTo(payload);
		assertThat(echo[1]).isEqualTo(isBinary);
	}

	/**
	 * Random bytes, every other 4 KiB block text-like so that compression has something
	 * to do.
	 */
	private static byte[] payload(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		for (int i = 0; i < size; i++) {
			if (((i >> 12) & 1) == 1) {
				bytes[i] = (byte) ('a' + (bytes[i] & 0x0f));
			}
		}
		return bytes;
	}

	private static String sha256(byte[] data) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
	}

	String transport() {
		return this.environment.getRequiredProperty("autobahn.websocket.client.transport");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(InteropClient.class)
	static class ClientApplication {

	}

	/** Queues what it receives and completes a future with its close. */
	@WebSocketClient
	static class InteropClient extends WebSocketClientProtocol {

		final BlockingQueue<Object[]> messages = new LinkedBlockingQueue<>();

		final CompletableFuture<@Nullable Object[]> closed = new CompletableFuture<>();

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			this.messages.add(new Object[] { payload, isBinary });
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			this.closed.complete(new Object[] { wasClean, code, reason });
		}

	}

}
