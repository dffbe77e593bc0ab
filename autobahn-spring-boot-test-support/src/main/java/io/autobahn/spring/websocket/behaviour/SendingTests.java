package io.autobahn.spring.websocket.behaviour;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.Disconnected;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Outgoing message semantics, checked frame by frame: {@code sendMessage(payload,
 * isBinary, fragmentSize)} sends {@code ceil(n / fragmentSize)} frames (opcode first,
 * continuations after, FIN on the last) whose joined payload is the message; text
 * fragments never split a code point; the {@code auto-fragment-size} property does the
 * same for a plain {@code sendMessage}; {@code sendMessage(String)} sends text; and once
 * the connection is closed, {@code sendMessage} throws {@link Disconnected} (in
 * {@code onClose} and after it) while {@code sendPing} does nothing. Stack-neutral:
 * subclassed per container.
 */
@SpringBootTest(classes = SendingTests.SendingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "autobahn.websocket.endpoints.autofrag.auto-fragment-size=1000B")
class SendingTests extends AbstractBehaviourTests {

	@Test
	void binaryIsSentInCeilOfSizeOverFragmentSizeFrames() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/send")) {
			assertFragmented(raw, "frag", 10_000, 1000, "binary", 10);
			assertFragmented(raw, "frag", 10_001, 1000, "binary", 11);
			assertFragmented(raw, "frag", 999, 1000, "binary", 1);
			assertFragmented(raw, "frag", 1000, 1000, "binary", 1);
			assertFragmented(raw, "frag", 7, 1, "binary", 7);
			assertFragmented(raw, "frag", 40_000, 4096, "binary", 10);
			raw.sendClose(1000, "");
		}
	}

	@Test
	void asciiTextIsSentInCeilOfSizeOverFragmentSizeFrames() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/send")) {
			assertFragmented(raw, "frag", 5000, 1000, "text", 5);
			assertFragmented(raw, "frag", 5001, 1000, "text", 6);
			assertFragmented(raw, "frag", 300, 7, "text", 43);
			raw.sendClose(1000, "");
		}
	}

	@Test
	void textFragmentsNeverSplitACodePoint() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/send")) {
			for (int fragmentSize : new int[] { 1, 2, 3, 5, 7, 100, 1000 }) {
				assertFragmented(raw, "frag", 3000, fragmentSize, "multibyte", -1);
			}
			raw.sendClose(1000, "");
		}
	}

	@Test
	void autoFragmentSizeFragmentsPlainSendMessage() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/autofrag")) {
			assertFragmented(raw, "plain", 4500, 1000, "binary", 5);
			assertFragmented(raw, "plain", 3000, 1000, "text", 3);
			assertFragmented(raw, "plain", 1000, 1000, "binary", 1);
			assertFragmented(raw, "plain", 2500, 1000, "multibyte", -1);
			// An explicit fragment size wins over auto-fragment-size.
			assertFragmented(raw, "frag", 4500, 500, "binary", 9);
			raw.sendClose(1000, "");
		}
	}

	@Test
	void withoutAutoFragmentSizePlainSendMessageIsOneFrame() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/send")) {
			assertFragmented(raw, "plain", 30_000, 30_000, "binary", 1);
			raw.sendClose(1000, "");
		}
	}

	@Test
	void sendMessageStringSendsText() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/send")) {
			raw.sendText("string héllo 😀");
			RawWebSocket.Frame frame = raw.readDataOrClose();
			assertThat(frame.opcode()).isEqualTo(RawWebSocket.TEXT);
			assertThat(frame.fin()).isTrue();
			assertThat(frame.payload()).isEqualTo("héllo 😀".getBytes(StandardCharsets.UTF_8));
			raw.sendClose(1000, "");
		}
	}

	@Test
	void sendAfterCloseThrowsDisconnectedAndPingDoesNothing() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/send")) {
			HookRecorder.Event open = this.recorder.await("onOpen", TIMEOUT);
			SendProtocol protocol = (SendProtocol) open.detail(0);
			raw.sendClose(4000, "bye");
			HookRecorder.Event close = this.recorder.await("onClose", TIMEOUT);
			assertThat(close.details()).containsExactly(true, 4000, "bye");
			// Inside onClose
			HookRecorder.Event inside = this.recorder.await("sendInOnClose", TIMEOUT);
			assertThat(inside.detail(0)).isEqualTo(Disconnected.class.getName());
			assertThat(inside.detail(1)).isEqualTo("ping ignored");
			// After onClose, from the test thread
			assertThat(protocol.isOpen()).isFalse();
			assertThatExceptionOfType(Disconnected.class).isThrownBy(() -> protocol.sendMessage("late"));
			assertThatExceptionOfType(Disconnected.class).isThrownBy(() -> protocol.sendMessage(new byte[10], true, 3));
			protocol.sendPing();
			protocol.sendPing(new byte[] { 1, 2, 3 });
			protocol.sendPong(new byte[] { 1 });
			// Nothing but the reply to the client's close reached the wire.
			RawWebSocket.Frame reply = raw.readFrame();
			assertThat(reply.opcode()).isEqualTo(RawWebSocket.CLOSE);
			assertThat(raw.awaitEndOfStream(Duration.ofSeconds(5))).isTrue();
		}
	}

	/**
	 * Ask the endpoint to send a generated message and check its frames: the count
	 * ({@code expectedFrames}, or for multi-byte text at most fragmentSize bytes per
	 * frame unless one code point is larger), the opcodes, FIN, that each text frame is
	 * valid UTF-8 on its own, and the joined payload.
	 */
	static void assertFragmented(RawWebSocket raw, String command, int size, int fragmentSize, String kind,
			int expectedFrames) throws Exception {
		raw.sendText(command + " " + size + " " + fragmentSize + " " + kind);
		byte[] expected = payload(size, kind);
		boolean binary = kind.equals("binary");
		List<RawWebSocket.Frame> frames = new ArrayList<>();
		RawWebSocket.Frame frame;
		do {
			frame = raw.readDataOrClose();
			assertThat(frame.opcode()).as("frame %d of %s", frames.size(), command)
				.isEqualTo(frames.isEmpty() ? (binary ? RawWebSocket.BINARY : RawWebSocket.TEXT)
						: RawWebSocket.CONTINUATION);
			frames.add(frame);
		}
		while (!frame.fin());
		ByteArrayOutputStream joined = new ByteArrayOutputStream();
		for (RawWebSocket.Frame each : frames) {
			joined.writeBytes(each.payload());
			if (!binary) {
				assertThat(isValidUtf8(each.payload())).as("text frame is valid UTF-8 on its own").isTrue();
				if (kind.equals("multibyte")) {
					assertThat(each.payload().length).isLessThanOrEqualTo(Math.max(fragmentSize, 4));
				}
			}
		}
		assertThat(joined.toByteArray()).isEqualTo(expected);
		if (expectedFrames > 0) {
			assertThat(frames).hasSize(expectedFrames);
		}
		else {
			// A fragment smaller than a code point carries the whole code point (at most
			// 4 bytes).
			int largest = Math.max(fragmentSize, 4);
			assertThat(frames).hasSizeGreaterThanOrEqualTo((expected.length + largest - 1) / largest);
		}
	}

	static boolean isValidUtf8(byte[] bytes) {
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	/**
	 * A deterministic payload: binary bytes, ASCII text, or text of 1- to 4-byte code
	 * points (whole code points, at least {@code size} bytes).
	 */
	static byte[] payload(int size, String kind) {
		switch (kind) {
			case "binary" -> {
				byte[] bytes = new byte[size];
				for (int i = 0; i < size; i++) {
					bytes[i] = (byte) (i * 31 + 7);
				}
				return bytes;
			}
			case "text" -> {
				byte[] bytes = new byte[size];
				for (int i = 0; i < size; i++) {
					bytes[i] = (byte) ('a' + i % 26);
				}
				return bytes;
			}
			default -> {
				String[] cycle = { "a", "é", "€", "😀", "ß", "中", "𝄞" };
				StringBuilder text = new StringBuilder();
				int bytes = 0;
				for (int i = 0; bytes < size; i++) {
					String next = cycle[i % cycle.length];
					text.append(next);
					bytes += next.getBytes(StandardCharsets.UTF_8).length;
				}
				return text.toString().getBytes(StandardCharsets.UTF_8);
			}
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, SendProtocol.class, AutoFragmentProtocol.class })
	static class SendingApplication {

	}

	/**
	 * Sends what the client asks for: {@code frag <size> <fragmentSize> <kind>} with an
	 * explicit fragment size, {@code plain <size> <ignored> <kind>} with
	 * {@code sendMessage(payload, isBinary)}, {@code string <text>} with
	 * {@code sendMessage(String)}.
	 */
	abstract static class CommandProtocol extends RecordingProtocol {

		CommandProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onOpen() {
			this.recorder.record("onOpen", this);
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			String command = new String(payload, StandardCharsets.UTF_8);
			if (command.startsWith("string ")) {
				sendMessage(command.substring("string ".length()));
				return;
			}
			String[] parts = command.split(" ");
			byte[] message = payload(Integer.parseInt(parts[1]), parts[3]);
			boolean binary = parts[3].equals("binary");
			if (parts[0].equals("frag")) {
				sendMessage(message, binary, Integer.parseInt(parts[2]));
			}
			else {
				sendMessage(message, binary);
			}
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			super.onClose(wasClean, code, reason);
			String send;
			try {
				sendMessage("from onClose");
				send = "sent";
			}
			catch (Disconnected ex) {
				send = ex.getClass().getName();
			}
			String ping;
			try {
				sendPing(new byte[] { 42 });
				ping = "ping ignored";
			}
			catch (RuntimeException ex) {
				ping = ex.toString();
			}
			this.recorder.record("sendInOnClose", send, ping);
		}

	}

	@WebSocketEndpoint(path = "/send", name = "send")
	static class SendProtocol extends CommandProtocol {

		SendProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

	@WebSocketEndpoint(path = "/autofrag", name = "autofrag")
	static class AutoFragmentProtocol extends CommandProtocol {

		AutoFragmentProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

}
