package io.autobahn.spring.websocket.behaviour;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.Conformance;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.PerMessageDeflate;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code max-message-payload-size} (64 KB here): a message of exactly the limit is
 * delivered, one byte more closes the connection with 1009, whether it comes in one frame
 * or in many small fragments; the 1009 comes as soon as the fragments received pass the
 * limit, without waiting for the final fragment; no part of a rejected message ever
 * reaches {@code onMessage}; and a permessage-deflate message that inflates past the
 * limit (10 MB of zeros, ~10 KB on the wire) gets 1009 too. The close frame's reason is
 * the starter's own, {@code Message too big}, whichever part of the stack found the
 * message too big (on Reactor Netty a frame far over the limit is refused by Netty's
 * frame decoder). Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = LimitsTests.LimitsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "autobahn.websocket.endpoints.limited.max-message-payload-size=64KB")
class LimitsTests extends AbstractBehaviourTests {

	static final int LIMIT = 64 * 1024;

	private static final int MAX_WINDOW_BITS = 15;

	@Test
	@Conformance("RFC 6455 7.4.1, 10.4")
	void messageOfExactlyTheLimitIsDelivered() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/limited")) {
			raw.sendBinary(new byte[LIMIT]);
			assertThat(raw.readMessage().text()).isEqualTo("got " + LIMIT + " binary");
			raw.sendFrame(true, 0, RawWebSocket.TEXT, ascii(LIMIT));
			assertThat(raw.readMessage().text()).isEqualTo("got " + LIMIT + " text");
			sendFragmented(raw, RawWebSocket.BINARY, LIMIT, 1024, true);
			assertThat(raw.readMessage().text()).isEqualTo("got " + LIMIT + " binary");
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
	}

	@Test
	@Conformance("RFC 6455 7.4.1, 10.4")
	void oneByteOverTheLimitInOneBinaryFrameCloses1009() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/limited")) {
			raw.sendBinary(new byte[LIMIT + 1]);
			assertRejectedWith1009(raw);
		}
	}

	@Test
	@Conformance("RFC 6455 7.4.1, 10.4")
	void oneByteOverTheLimitInOneTextFrameCloses1009() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/limited")) {
			raw.sendFrame(true, 0, RawWebSocket.TEXT, ascii(LIMIT + 1));
			assertRejectedWith1009(raw);
		}
	}

	@Test
	@Conformance("RFC 6455 7.4.1, 10.4")
	void oneFrameFarOverTheLimitCloses1009() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/limited")) {
			raw.sendBinary(new byte[LIMIT + 4096]);
			assertRejectedWith1009(raw);
		}
	}

	@Test
	@Conformance("RFC 6455 7.4.1, 10.4")
	void oneByteOverTheLimitInManySmallFragmentsCloses1009() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/limited")) {
			sendFragmented(raw, RawWebSocket.TEXT, LIMIT + 1, 512, true);
			assertRejectedWith1009(raw);
		}
	}

	@Test
	@Conformance("RFC 6455 7.4.1, 10.4")
	void fragmentsPassingTheLimitClose1009WithoutTheFinalFragment() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/limited")) {
			// LIMIT + 1 bytes in non-final fragments; the final fragment never comes.
			sendFragmented(raw, RawWebSocket.BINARY, LIMIT + 1, 1024, false);
			assertRejectedWith1009(raw);
		}
	}

	@Test
	@Conformance("RFC 6455 7.4.1, 10.4")
	void theRestOfARejectedMessageNeverReachesOnMessage() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/limited")) {
			sendFragmented(raw, RawWebSocket.BINARY, LIMIT + 1, 1024, false);
			// The final fragment of the oversized message, sent before the client sees
			// the 1009.
			raw.sendFrame(true, 0, RawWebSocket.CONTINUATION, "tail".getBytes(StandardCharsets.UTF_8));
			assertRejectedWith1009(raw);
		}
	}

	@Test
	@Conformance("RFC 7692 8, RFC 6455 10.4")
	void compressedMessageInflatingPastTheLimitCloses1009() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/limited",
				Map.of("Sec-WebSocket-Extensions", "permessage-deflate"))) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			assertThat(raw.handshake().header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
			byte[] bomb = deflate(new byte[10 * 1024 * 1024]);
			assertThat(bomb.length).isLessThan(LIMIT);
			// RSV1 marks the compressed message.
			raw.sendFrame(true, 0b100, RawWebSocket.BINARY, bomb);
			assertRejectedWith1009(raw);
		}
	}

	@Test
	@Conformance("RFC 7692 8, RFC 6455 10.4")
	void compressedMessageUnderTheLimitIsDelivered() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/limited",
				Map.of("Sec-WebSocket-Extensions", "permessage-deflate"))) {
			assertThat(raw.handshake().header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
			raw.sendFrame(true, 0b100, RawWebSocket.BINARY, deflate(new byte[LIMIT]));
			RawWebSocket.Frame reply = raw.readMessage();
			byte[] text = ((reply.rsv() & 0b100) != 0) ? inflate(reply.payload()) : reply.payload();
			assertThat(new String(text, StandardCharsets.UTF_8)).isEqualTo("got " + LIMIT + " binary");
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
	}

	private void assertRejectedWith1009(RawWebSocket raw) throws Exception {
		RawWebSocket.Frame close = raw.awaitCloseFrame(TIMEOUT);
		assertThat(close.closeCode()).isEqualTo(1009);
		// The starter's own reason on every stack: on Jetty too, whose partial messages
		// the
		// starter assembles under its limit.
		assertThat(close.closeReason()).isEqualTo("Message too big");
		try {
			raw.sendClose(1009, "");
		}
		catch (IOException ex) {
			// Jetty drops the TCP connection right after its close frame: nothing to
			// answer.
		}
		HookRecorder.Event onClose = this.recorder.await("onClose", TIMEOUT);
		assertThat(onClose.detail(1)).isIn(1009, 1006);
		// Everything the client sent came before its close, so onMessage would have run
		// by now.
		assertThat(this.recorder.drain()).as("no part of the rejected message was delivered")
			.noneMatch((event) -> event.hook().equals("onMessage"));
	}

	private static void sendFragmented(RawWebSocket raw, int opcode, int size, int fragmentSize, boolean fin)
			throws Exception {
		byte[] payload = (opcode == RawWebSocket.TEXT) ? ascii(size) : new byte[size];
		for (int start = 0; start < size; start += fragmentSize) {
			int end = Math.min(size, start + fragmentSize);
			raw.sendFrame(fin && end == size, 0, (start == 0) ? opcode : RawWebSocket.CONTINUATION,
					Arrays.copyOfRange(payload, start, end));
		}
	}

	private static byte[] ascii(int size) {
		byte[] bytes = new byte[size];
		Arrays.fill(bytes, (byte) 'z');
		return bytes;
	}

	/** Deflate one message per RFC 7692 with a 15-bit window and no context to keep. */
	private static byte[] deflate(byte[] data) throws Exception {
		return PerMessageDeflate.compressor(MAX_WINDOW_BITS, true).compress(data);
	}

	private static byte[] inflate(byte[] data) throws Exception {
		return PerMessageDeflate.decompressor(MAX_WINDOW_BITS, true).decompress(data);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, LimitedProtocol.class })
	static class LimitsApplication {

	}

	/** Answers every message with its size and type. */
	@WebSocketEndpoint(path = "/limited", name = "limited")
	static class LimitedProtocol extends RecordingProtocol {

		LimitedProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			this.recorder.record("onMessage", payload.length, isBinary);
			sendMessage("got " + payload.length + (isBinary ? " binary" : " text"));
		}

	}

}
