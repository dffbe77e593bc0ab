package io.autobahn.spring.websocket.behaviour;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.Conformance;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.LogCapture;
import io.autobahn.spring.websocket.test.LogLines;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code open-handshake-timeout} on a dedicated port ({@value #TIMEOUT_MILLIS} ms here):
 * a connection that has not completed its opening handshake that long after it was
 * accepted is closed, whether it sent nothing, stalled half-way or keeps dribbling bytes,
 * without a line of log; a completed handshake is never closed by it. On the
 * application's port the starter cannot apply it and says so at startup, also with the
 * default value. Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = OpenHandshakeTimeoutTests.TimeoutApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "autobahn.websocket.endpoints.dedicated.port=0",
				"autobahn.websocket.endpoints.dedicated.open-handshake-timeout="
						+ OpenHandshakeTimeoutTests.TIMEOUT_MILLIS + "ms" })
@ExtendWith(OutputCaptureExtension.class)
class OpenHandshakeTimeoutTests {

	static final long TIMEOUT_MILLIS = 1000;

	/** Closed no earlier than this: the timeout, less what the clocks may disagree. */
	static final Duration NOT_BEFORE = Duration.ofMillis(TIMEOUT_MILLIS - 100);

	/** Closed no later than this, on a loaded machine. */
	static final Duration NOT_AFTER = Duration.ofSeconds(6);

	@Value("${local.autobahn.websocket.dedicated.port}")
	int port;

	@Autowired
	HookRecorder recorder;

	@Test
	@Conformance("RFC 6455 10.4")
	void connectionsThatSendNothingOrHalfAHandshakeAreClosedAfterTheTimeoutWithoutALogLine() throws Exception {
		List<Socket> sockets = new ArrayList<>();
		try (LogCapture log = LogCapture.start()) {
			long start = System.nanoTime();
			for (int i = 0; i < 20; i++) {
				Socket socket = connect();
				if (i % 2 == 1) {
					String halfHead = "GET /dedicated HTTP/1.1\r\nHost: 127.0.0.1:" + this.port + "\r\n";
					socket.getOutputStream().write(halfHead.getBytes(StandardCharsets.ISO_8859_1));
				}
				sockets.add(socket);
			}
			JdkClient client = JdkClient.connect(this.port, "/dedicated");
			client.sendText("while they stall");
			assertThat(client.next().text()).isEqualTo("while they stall");
			client.sendClose(1000, "");
			for (Socket socket : sockets) {
				Duration closedAfter = awaitClosed(socket, start);
				assertThat(closedAfter).isBetween(NOT_BEFORE, NOT_AFTER);
			}
			log.awaitQuiet(Duration.ofMillis(200), Duration.ofSeconds(3));
			assertThat(log.events()).as(log.text()).isEmpty();
		}
		finally {
			for (Socket socket : sockets) {
				socket.close();
			}
		}
	}

	@Test
	@Conformance("RFC 6455 10.4")
	void handshakeDribbledByteByByteIsClosedAfterTheTimeout() throws Exception {
		byte[] request = ("GET /dedicated HTTP/1.1\r\nHost: 127.0.0.1:" + this.port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Padding: " + "x".repeat(200) + "\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
		try (Socket socket = connect()) {
			long start = System.nanoTime();
			OutputStream out = socket.getOutputStream();
			boolean closed = false;
			for (int i = 0; i < request.length && !closed; i++) {
				try {
					out.write(request[i]);
					out.flush();
				}
				catch (SocketException ex) {
					closed = true;
				}
				closed = closed || isClosed(socket, Duration.ofMillis(50));
			}
			Duration closedAfter = closed ? Duration.ofNanos(System.nanoTime() - start) : awaitClosed(socket, start);
			assertThat(closedAfter).isBetween(NOT_BEFORE, NOT_AFTER);
		}
	}

	@Test
	void completedHandshakeIsNotClosedByTheTimeout() throws Exception {
		JdkClient client = JdkClient.connect(this.port, "/dedicated");
		Thread.sleep(2 * TIMEOUT_MILLIS + 500);
		client.sendText("still open");
		assertThat(client.next().text()).isEqualTo("still open");
		client.sendClose(1000, "");
		assertThat(client.awaitClose().closeCode()).isEqualTo(1000);
	}

	@Test
	void applicationsPortWarnsAtStartupThatItDoesNotApplyTheTimeoutAlsoWithTheDefault(CapturedOutput output) {
		assertThat(LogLines.first(output.getAll(), "WARN", "WebSocket endpoint 'main'", "open-handshake-timeout"))
			.as("WARN about open-handshake-timeout for the endpoint on the application's port in:%n%s", output.getAll())
			.contains("not applied on the application's port");
		assertThat(LogLines.first(output.getAll(), "WebSocket endpoint 'dedicated'", "open-handshake-timeout"))
			.isNull();
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
		return socket;
	}

	/**
	 * How long after {@code start} the server closed the socket, failing past
	 * {@link #NOT_AFTER}.
	 */
	private static Duration awaitClosed(Socket socket, long start) throws IOException {
		long deadline = start + NOT_AFTER.toNanos() + Duration.ofSeconds(1).toNanos();
		while (System.nanoTime() < deadline) {
			if (isClosed(socket, Duration.ofMillis(100))) {
				return Duration.ofNanos(System.nanoTime() - start);
			}
		}
		throw new AssertionError("not closed within " + NOT_AFTER);
	}

	/**
	 * Whether the server closed the socket, waiting at most the given time and discarding
	 * what it sent.
	 */
	private static boolean isClosed(Socket socket, Duration wait) throws IOException {
		socket.setSoTimeout((int) wait.toMillis());
		InputStream in = socket.getInputStream();
		try {
			return in.read(new byte[1024]) < 0;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (SocketException ex) {
			return true;
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, MainEndpoint.class, DedicatedEndpoint.class })
	static class TimeoutApplication {

	}

	@WebSocketEndpoint(path = "/echo", name = "main")
	static class MainEndpoint extends RecordingProtocol {

		MainEndpoint(HookRecorder recorder) {
			super(recorder);
		}

	}

	@WebSocketEndpoint(path = "/dedicated", name = "dedicated")
	static class DedicatedEndpoint extends RecordingProtocol {

		DedicatedEndpoint(HookRecorder recorder) {
			super(recorder);
		}

	}

}
