package io.autobahn.spring.websocket.behaviour;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.autobahn.spring.websocket.test.Conformance;
import io.autobahn.spring.websocket.test.ConformanceReport;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.StackProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 6455 close frames from a plain socket: a close without payload, with a code, with a
 * code and reason, and with every code a peer may send is answered with a close frame and
 * ends the connection cleanly, {@code onClose} seeing the code and reason; a 1-byte
 * payload and the codes no peer may send (0, 999, 1004-1006, 1015, 1016, 1100, 2000,
 * 2999, 5000, 65535) fail the connection with 1002; frames after the close are ignored,
 * and a close in the middle of a fragmented message ends it without delivering the
 * message. A close without payload is answered without payload and reaches
 * {@code onClose} without a code, except on Tomcat, which answers and reports it as 1000
 * (its {@code StackProfile} says so). Stack-neutral: subclassed per container.
 */
class CloseConformanceTests extends AbstractConformanceTests {

	@Test
	@Conformance("RFC 6455 5.5.1, 7.1.5")
	void closeWithoutPayloadIsAnsweredAndCleanWithoutACode() throws Exception {
		try (RawWebSocket raw = open()) {
			raw.sendEmptyClose();
			int answer = assertAnsweredAndEnded(raw);
			HookRecorder.Event onClose = this.recorder.await("onClose", TIMEOUT);
			assertThat(onClose.detail(0)).isEqualTo(true);
			if (StackProfile.current().keepsEmptyCloseFrames()) {
				assertThat(answer).as("answer to a close without code").isEqualTo(-1);
				assertThat(onClose.detail(1)).isNull();
			}
			else {
				// Tomcat (the Jakarta WebSocket API) answers and reports it as 1000.
				assertThat(answer).as("answer to a close without code").isEqualTo(1000);
				assertThat(onClose.detail(1)).isEqualTo(1000);
			}
		}
	}

	@ParameterizedTest(name = "code {0}")
	@ValueSource(ints = { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999 })
	@Conformance("RFC 6455 7.4.1, 7.4.2")
	void closeWithAValidCodeIsAnsweredAndSeenByOnClose(int code) throws Exception {
		try (RawWebSocket raw = open()) {
			raw.sendClose(code, "");
			assertThat(assertAnsweredAndEnded(raw)).as("code of the answer").isIn(code, 1000);
			HookRecorder.Event onClose = this.recorder.await("onClose", TIMEOUT);
			assertThat(onClose.detail(0)).isEqualTo(true);
			assertThat(onClose.detail(1)).isEqualTo(code);
		}
	}

	@Test
	@Conformance("RFC 6455 5.5.1")
	void closeWithCodeAndReasonGivesBothToOnClose() throws Exception {
		String reason = "bye from the client, κόσμε";
		try (RawWebSocket raw = open()) {
			raw.sendClose(4000, reason);
			assertThat(assertAnsweredAndEnded(raw)).isIn(4000, 1000);
			HookRecorder.Event onClose = this.recorder.await("onClose", TIMEOUT);
			assertThat(onClose.details()).containsExactly(true, 4000, reason);
		}
	}

	@Test
	@Conformance("RFC 6455 5.5.1")
	void closeWithAReasonOf123BytesIsAccepted() throws Exception {
		String reason = "r".repeat(123);
		try (RawWebSocket raw = open()) {
			raw.sendClose(1000, reason);
			assertAnsweredAndEnded(raw);
			assertThat(this.recorder.await("onClose", TIMEOUT).details()).containsExactly(true, 1000, reason);
		}
	}

	@Test
	@Conformance("RFC 6455 5.5.1")
	void closeWithAOneBytePayloadFailsTheConnection() throws Exception {
		try (RawWebSocket raw = open()) {
			raw.sendFrame(true, 0, RawWebSocket.CLOSE, new byte[] { 0x03 });
			assertFailed(raw, 1002);
		}
	}

	@ParameterizedTest(name = "code {0}")
	@ValueSource(ints = { 0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535 })
	@Conformance("RFC 6455 7.4.1, 7.4.2")
	void closeWithACodeNoPeerMaySendFailsTheConnection(int code) throws Exception {
		try (RawWebSocket raw = open()) {
			raw.sendClose(code, "");
			assertFailed(raw, 1002);
		}
	}

	@Test
	@Conformance("RFC 6455 5.5.1")
	void dataFrameAfterTheCloseIsIgnored() throws Exception {
		try (RawWebSocket raw = open()) {
			raw.sendClose(1000, "");
			raw.sendFrame(true, 0, RawWebSocket.TEXT, "after the close".getBytes(StandardCharsets.UTF_8));
			assertAnsweredAndEnded(raw);
			assertClosedWithoutMessages();
		}
	}

	@Test
	@Conformance("RFC 6455 5.4, 5.5.1")
	void closeInTheMiddleOfAFragmentedMessageEndsTheConnectionWithoutTheMessage() throws Exception {
		try (RawWebSocket raw = open()) {
			raw.sendFrame(false, 0, RawWebSocket.TEXT, "never ".getBytes(StandardCharsets.UTF_8));
			raw.sendClose(1000, "");
			assertAnsweredAndEnded(raw);
			assertClosedWithoutMessages();
		}
	}

	/**
	 * Assert that the server answers with a close frame and then closes the TCP
	 * connection.
	 * @return the code of the answer, -1 for none
	 */
	private static int assertAnsweredAndEnded(RawWebSocket raw) throws Exception {
		RawWebSocket.Frame answer = raw.awaitCloseFrame(TIMEOUT);
		ConformanceReport.observe("close " + answer.closeCode());
		assertThat(raw.awaitEndOfStream(TIMEOUT)).as("TCP connection closed by the server").isTrue();
		return answer.closeCode();
	}

}
