package io.autobahn.spring.websocket.behaviour;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.Conformance;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.RecordingProtocol;
import io.autobahn.spring.websocket.test.StackProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slowloris: {@value #STALLED} connections that send half an opening handshake (the
 * request line and some headers, never the blank line) and then stall do not keep a real
 * client from connecting and getting its echo while they hang, and the container closes
 * them once its connection timeout (2 s here: {@code server.tomcat.connection-timeout},
 * {@code server.jetty.connection-idle-timeout}, {@code server.netty.idle-timeout}) has
 * passed, within {@value #CLOSE_BOUND_SECONDS} s of the first (Tomcat, Jetty and Reactor
 * Netty each closed all of them 2.1-2.4 s after the first was sent when measured; the
 * bound leaves room for a loaded machine). None of them reaches {@code onOpen}.
 * Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = SlowlorisTests.SlowlorisApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.tomcat.connection-timeout=2s", "server.jetty.connection-idle-timeout=2s",
				"server.netty.idle-timeout=2s" })
class SlowlorisTests extends AbstractBehaviourTests {

	static final int STALLED = 50;

	static final int CLOSE_BOUND_SECONDS = 10;

	@Test
	@Conformance("RFC 6455 10.4")
	void halfHandshakesDoNotBlockRealClientsAndAreClosedOnTime() throws Exception {
		List<Socket> stalled = new ArrayList<>();
		try {
			long start = System.nanoTime();
			for (int i = 0; i < STALLED; i++) {
				Socket socket = new Socket();
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
				socket.getOutputStream()
					.write(("GET /slowloris HTTP/1.1\r\nHost: 127.0.0.1:" + this.port
							+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
						.getBytes(StandardCharsets.ISO_8859_1));
				socket.getOutputStream().flush();
				stalled.add(socket);
			}

			// A real client connects and is echoed while they hang.
			JdkClient client = JdkClient.connect(this.port, "/slowloris");
			this.recorder.await("onOpen", TIMEOUT);
			client.sendText("through the slowloris");
			assertThat(client.next().text()).isEqualTo("through the slowloris");
			this.recorder.await("onMessage", TIMEOUT);
			client.sendClose(1000, "");
			assertThat(this.recorder.await("onClose", TIMEOUT).details()).containsExactly(true, 1000, null);
			assertThat(Duration.ofNanos(System.nanoTime() - start))
				.as("the real client was served while " + STALLED + " half handshakes hung")
				.isLessThan(Duration.ofSeconds(2));

			long deadline = start + Duration.ofSeconds(CLOSE_BOUND_SECONDS).toNanos();
			int closed = 0;
			for (Socket socket : stalled) {
				if (closedBy(socket, deadline)) {
					closed++;
				}
			}
			System.out.println("Slowloris: " + closed + " of " + STALLED + " half handshakes closed after "
					+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
			assertThat(closed)
				.as("half handshakes that %s closed within %d s with a 2 s connection timeout",
						StackProfile.current().name(), CLOSE_BOUND_SECONDS)
				.isEqualTo(STALLED);
			assertThat(this.recorder.drain()).as("hooks of the half handshakes").isEmpty();
			assertThat(this.registry.size()).isZero();
		}
		finally {
			for (Socket socket : stalled) {
				socket.close();
			}
		}
	}

	/**
	 * Whether the server closed the socket before the deadline (whatever it sent first is
	 * read and discarded).
	 */
	private static boolean closedBy(Socket socket, long deadline) throws IOException {
		InputStream in = socket.getInputStream();
		byte[] sink = new byte[1024];
		for (;;) {
			long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
			if (left <= 0) {
				return false;
			}
			socket.setSoTimeout((int) left);
			try {
				if (in.read(sink) < 0) {
					return true;
				}
			}
			catch (SocketTimeoutException ex) {
				return false;
			}
			catch (SocketException ex) {
				return true;
			}
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, SlowlorisEchoProtocol.class })
	static class SlowlorisApplication {

	}

	@WebSocketEndpoint("/slowloris")
	static class SlowlorisEchoProtocol extends RecordingProtocol {

		SlowlorisEchoProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

}
