package io.autobahn.spring.websocket.behaviour;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.util.Arrays;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.ConformanceReport;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What the raw-socket conformance suites share: one application with a recording echo
 * endpoint at {@code /conformance} that takes messages up to 2 MiB, and the checks of a
 * frame-level peer. A connection the RFC says to fail must end with the expected close
 * code or with the TCP connection dropped (both are what RFC 6455 7.1.7 allows), never
 * with a data frame, and the offending message must not reach {@code onMessage}.
 */
@SpringBootTest(classes = AbstractConformanceTests.ConformanceApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "autobahn.websocket.endpoints.conformance.max-message-payload-size=2MB")
abstract class AbstractConformanceTests extends AbstractBehaviourTests {

	/** Open a connection to the echo endpoint and wait until the server saw it open. */
	RawWebSocket open() throws Exception {
		RawWebSocket raw = RawWebSocket.connect(this.port, "/conformance");
		assertThat(raw.handshake().status()).isEqualTo(101);
		this.recorder.await("onOpen", TIMEOUT);
		return raw;
	}

	/** Assert that the next data message is the given one. */
	static void assertEchoed(RawWebSocket raw, int opcode, byte[] payload) throws IOException {
		RawWebSocket.Frame echo = raw.readMessage();
		assertThat(echo.opcode()).as("opcode of the echo").isEqualTo(opcode);
		assertThat(echo.payload().length).as("length of the echo").isEqualTo(payload.length);
		assertThat(Arrays.equals(echo.payload(), payload)).as("echo equals what was sent").isTrue();
	}

	/**
	 * Assert that the server fails the connection: a close frame with one of the expected
	 * codes or the TCP connection dropped, nothing but pings and pongs before that, the
	 * TCP connection closed afterwards, {@code onClose} run and no message delivered.
	 */
	void assertFailed(RawWebSocket raw, Integer... expectedCodes) throws Exception {
		Integer code = awaitCloseOrDrop(raw);
		if (code != null) {
			assertThat(code).as("close code").isIn((Object[]) expectedCodes);
			try {
				raw.sendClose(code, "");
			}
			catch (IOException ex) {
				// The server may drop the TCP connection right after its close frame.
			}
			assertThat(raw.awaitEndOfStream(TIMEOUT)).as("TCP connection closed by the server").isTrue();
		}
		assertClosedWithoutMessages();
	}

	/** Assert that the server closed every connection and delivered no message. */
	void assertClosedWithoutMessages() throws InterruptedException {
		this.recorder.await("onClose", TIMEOUT);
		Poll.until("the connection is closed", () -> this.registry.size() == 0, TIMEOUT);
		assertThat(this.recorder.drain()).as("no message reached onMessage")
			.noneMatch((event) -> event.hook().equals("onMessage"));
	}

	/**
	 * Read until the server's close frame (returning its code, -1 for none) or the end of
	 * the connection ({@code null}), noting which in the conformance report. A data frame
	 * fails the test.
	 */
	static Integer awaitCloseOrDrop(RawWebSocket raw) throws IOException {
		try {
			for (;;) {
				RawWebSocket.Frame frame = raw.readFrame();
				if (frame.opcode() == RawWebSocket.CLOSE) {
					ConformanceReport.observe("close " + frame.closeCode());
					return frame.closeCode();
				}
				if (frame.opcode() != RawWebSocket.PING && frame.opcode() != RawWebSocket.PONG) {
					fail("Expected the connection to be failed, got a frame with opcode " + frame.opcode());
				}
			}
		}
		catch (EOFException | SocketException ex) {
			ConformanceReport.observe("dropped");
			return null;
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, ConformanceProtocol.class })
	static class ConformanceApplication {

	}

	/** Echoes every message as it came and records every hook. */
	@WebSocketEndpoint(path = "/conformance", name = "conformance")
	static class ConformanceProtocol extends RecordingProtocol {

		ConformanceProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

}
