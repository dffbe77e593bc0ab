package io.autobahn.spring.websocket.behaviour;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.core.Budget;
import io.autobahn.spring.websocket.core.WebSocketBudgets;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;
import io.autobahn.spring.websocket.test.StackProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two ways of receiving a message without an array of its own:
 * {@code onMessage(ByteBuffer, boolean)} (endpoint {@code buffer}: whole messages, text,
 * binary and fragmented, in a read-only buffer, under {@code max-message-payload-size}
 * and the inbound budget, 1009 and 1013 past them), and Autobahn's streaming hooks
 * (endpoint {@code stream}: a 64 MiB message through an endpoint whose
 * {@code max-message-payload-size} is 1 MB, with the heap that stays in use while it
 * arrives measured after a full GC; the order of the hooks; text validated across frames;
 * a close in the middle of a message; an exception in a hook;
 * {@code max-streamed-message-size}). Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = LargeMessageTests.LargeMessageApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "autobahn.websocket.endpoints.buffer.max-message-payload-size=256KB",
				"autobahn.websocket.endpoints.tight.max-message-payload-size=256KB",
				"autobahn.websocket.endpoints.tight.inbound-budget=64KB",
				"autobahn.websocket.endpoints.stream.max-message-payload-size=1MB",
				"autobahn.websocket.endpoints.stream.max-streamed-message-size=128MB",
				"autobahn.websocket.endpoints.small-stream.max-streamed-message-size=1MB" })
class LargeMessageTests extends AbstractBehaviourTests {

	static final int LIMIT = 256 * 1024;

	static final int STREAMED = 64 * 1024 * 1024;

	static final int FRAME = 64 * 1024;

	@Autowired
	WebSocketBudgets budgets;

	@BeforeEach
	void awaitInboundBudgetBackAtZero() throws InterruptedException {
		Poll.until("inbound budget of earlier tests back at zero", () -> this.budgets.getInbound().getInUse() == 0,
				TIMEOUT);
	}

	@Test
	void bufferFormGetsWholeTextAndBinaryMessagesReadOnly() throws Exception {
		byte[] binary = pattern(100 * 1024);
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/buffer")) {
			raw.sendText("héllo 😀");
			assertThat(raw.readMessage().text()).isEqualTo("héllo 😀");
			HookRecorder.Event text = this.recorder.await("onMessage", TIMEOUT);
			assertThat(text.details()).containsExactly(false, true, "héllo 😀".getBytes(StandardCharsets.UTF_8).length);
			raw.sendBinary(binary);
			assertThat(raw.readMessage().payload()).isEqualTo(binary);
			HookRecorder.Event event = this.recorder.await("onMessage", TIMEOUT);
			assertThat(event.detail(0)).as("isBinary").isEqualTo(true);
			assertThat(event.detail(1)).as("read-only").isEqualTo(true);
			assertThat(event.detail(2)).isEqualTo(binary.length);
			assertThat(this.recorder.await("direct", TIMEOUT).detail(0))
				.as("a message in one frame in the stack's own direct memory")
				.isEqualTo(StackProfile.current().handsOverDirectBuffers());
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
	}

	@Test
	void bufferFormGetsFragmentedMessagesJoinedAndTheBudgetComesBack() throws Exception {
		byte[] binary = pattern(LIMIT);
		// Fragments of every size the assembler treats differently: tiny, small, large.
		int[] cuts = { 1, 100, 1024, 5000, 70000, 200000 };
		byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/buffer")) {
			int from = 0;
			for (int i = 0; i <= cuts.length; i++) {
				int to = (i < cuts.length) ? cuts[i] : binary.length;
				raw.sendFrame(to == binary.length, 0, (i == 0) ? RawWebSocket.BINARY : RawWebSocket.CONTINUATION,
						Arrays.copyOfRange(binary, from, to));
				from = to;
			}
			assertThat(raw.readMessage().payload()).as("the message of exactly the limit").isEqualTo(binary);
			// A character split between fragments.
			raw.sendFrame(false, 0, RawWebSocket.TEXT, new byte[] { 'a', euro[0] });
			raw.sendFrame(false, 0, RawWebSocket.CONTINUATION, new byte[] { euro[1] });
			raw.sendFrame(true, 0, RawWebSocket.CONTINUATION, new byte[] { euro[2], 'b' });
			assertThat(raw.readMessage().text()).isEqualTo("a€b");
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
		Poll.until("inbound budget back at zero", () -> this.budgets.getInbound().getInUse() == 0, TIMEOUT);
	}

	@Test
	void bufferFormMessagesPastTheLimitAreRefusedWith1009() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/buffer")) {
			raw.sendBinary(new byte[LIMIT + 1]);
			assertThat(raw.awaitCloseFrame(TIMEOUT).closeCode()).isEqualTo(1009);
			answerClose(raw, 1009);
		}
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/buffer")) {
			raw.sendFrame(false, 0, RawWebSocket.BINARY, new byte[LIMIT / 2]);
			raw.sendFrame(false, 0, RawWebSocket.CONTINUATION, new byte[LIMIT / 2]);
			sendIgnoringReset(raw, true, RawWebSocket.CONTINUATION, new byte[1]);
			assertThat(raw.awaitCloseFrame(TIMEOUT).closeCode()).isEqualTo(1009);
			answerClose(raw, 1009);
		}
		assertThat(this.recorder.await("onClose", TIMEOUT).detail(1)).isIn(1009, 1006);
		assertThat(this.recorder.await("onClose", TIMEOUT).detail(1)).isIn(1009, 1006);
		assertThat(this.recorder.drain()).noneMatch((event) -> event.hook().equals("onMessage"));
		Poll.until("inbound budget back at zero", () -> this.budgets.getInbound().getInUse() == 0, TIMEOUT);
	}

	@Test
	void bufferFormFragmentsPastTheInboundBudgetAreRefusedWith1013() throws Exception {
		Budget tight = this.budgets.getEndpoints().get("tight").getInbound();
		long refusals = tight.getRefusals();
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/tight")) {
			raw.sendFrame(false, 0, RawWebSocket.BINARY, new byte[32 * 1024]);
			for (int i = 0; i < 4; i++) {
				sendIgnoringReset(raw, false, RawWebSocket.CONTINUATION, new byte[32 * 1024]);
			}
			assertThat(raw.awaitCloseFrame(TIMEOUT).closeCode()).isEqualTo(1013);
			answerClose(raw, 1013);
		}
		assertThat(tight.getRefusals()).isEqualTo(refusals + 1);
		assertThat(tight.getPeak()).isLessThanOrEqualTo(tight.getLimit());
		Poll.until("the endpoint's inbound budget back at zero", () -> tight.getInUse() == 0, TIMEOUT);
	}

	@Test
	void aStreamedMessageOf64MiBIsReceivedInBoundedMemory() throws Exception {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		byte[] frame = pattern(FRAME);
		CRC32 crc = new CRC32();
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/stream")) {
			this.recorder.await("onOpen", TIMEOUT);
			System.gc();
			long before = memory.getHeapMemoryUsage().getUsed();
			long start = System.nanoTime();
			int frames = STREAMED / FRAME;
			for (int i = 0; i < frames - 1; i++) {
				raw.sendFrame(false, 0, (i == 0) ? RawWebSocket.BINARY : RawWebSocket.CONTINUATION, frame);
				crc.update(frame);
			}
			long sent = (long) (frames - 1) * FRAME;
			Poll.until("all but the last frame received", () -> StreamProtocol.received == sent, TIMEOUT);
			System.gc();
			long held = memory.getHeapMemoryUsage().getUsed() - before;
			assertThat(held).as("heap in use with %s bytes of the message received", sent)
				.isLessThan(16L * 1024 * 1024);
			raw.sendFrame(true, 0, RawWebSocket.CONTINUATION, frame);
			crc.update(frame);
			String summary = raw.readMessage().text();
			long millis = (System.nanoTime() - start) / 1_000_000;
			assertThat(summary).startsWith("binary " + STREAMED + " bytes, crc " + crc.getValue() + ", largest frame ");
			long largest = Long.parseLong(summary.substring(summary.lastIndexOf(' ') + 1));
			assertThat(largest).as("the largest part handed over").isLessThanOrEqualTo(FRAME);
			assertThat(millis).as("milliseconds for 64 MiB").isLessThan(60_000);
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
		assertThat(this.recorder.drain()).extracting(HookRecorder.Event::hook)
			.containsExactly("onMessageBegin", "onMessageEnd");
		assertThat(this.budgets.getEndpoints().get("stream").getInbound().getPeak())
			.as("bytes of the stream endpoint's messages held at once")
			.isLessThanOrEqualTo(2 * FRAME);
	}

	@Test
	void streamingHooksComeInOrderAndTextIsValidatedAcrossFrames() throws Exception {
		byte[] smile = "😀".getBytes(StandardCharsets.UTF_8);
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/stream")) {
			this.recorder.await("onOpen", TIMEOUT);
			raw.sendFrame(false, 0, RawWebSocket.TEXT, new byte[] { 'a', 'b', smile[0] });
			raw.sendFrame(false, 0, RawWebSocket.CONTINUATION, new byte[0]);
			raw.sendFrame(false, 0, RawWebSocket.CONTINUATION, new byte[] { smile[1], smile[2] });
			raw.sendFrame(true, 0, RawWebSocket.CONTINUATION, new byte[] { smile[3], 'z' });
			String summary = raw.readMessage().text();
			assertThat(summary).startsWith("text 7 bytes");
			List<HookRecorder.Event> events = this.recorder.drain();
			List<String> hooks = events.stream().map(HookRecorder.Event::hook).toList();
			assertThat(hooks.get(0)).isEqualTo("onMessageBegin");
			assertThat(events.get(0).detail(0)).as("isBinary").isEqualTo(false);
			assertThat(hooks.get(hooks.size() - 1)).isEqualTo("onMessageEnd");
			ByteBuffer joined = ByteBuffer.allocate(7);
			long announced = -1;
			for (HookRecorder.Event event : events.subList(1, events.size() - 1)) {
				switch (event.hook()) {
					case "onMessageFrameBegin" -> {
						assertThat(announced).as("a frame begins after the last one ended").isEqualTo(-1);
						announced = (Long) event.detail(0);
					}
					case "onMessageFrameData" -> {
						byte[] data = (byte[]) event.detail(0);
						assertThat(data.length).as("data within the announced length")
							.isLessThanOrEqualTo((int) announced);
						joined.put(data);
					}
					case "onMessageFrameEnd" -> announced = -1;
					default -> throw new AssertionError("unexpected hook " + event.hook());
				}
			}
			assertThat(announced).isEqualTo(-1);
			assertThat(new String(joined.array(), StandardCharsets.UTF_8)).isEqualTo("ab😀z");
			// Invalid UTF-8 in a later frame of a streamed text message.
			raw.sendFrame(false, 0, RawWebSocket.TEXT, "fine so far".getBytes(StandardCharsets.UTF_8));
			sendIgnoringReset(raw, true, RawWebSocket.CONTINUATION, new byte[] { (byte) 0xC0, (byte) 0x80 });
			assertThat(raw.awaitCloseFrame(TIMEOUT).closeCode()).isEqualTo(1007);
			answerClose(raw, 1007);
		}
		HookRecorder.Event close = this.recorder.await("onClose", TIMEOUT);
		assertThat(close.detail(1)).isIn(1007, 1006);
		List<String> hooks = this.recorder.history().stream().map(HookRecorder.Event::hook).toList();
		assertThat(hooks.subList(hooks.lastIndexOf("onMessageBegin"), hooks.size()))
			.as("the hooks of the invalid message")
			.doesNotContain("onMessageEnd")
			.endsWith("onClose");
	}

	@Test
	void aCloseInTheMiddleOfAStreamedMessageEndsItWithOnCloseOnly() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/stream")) {
			this.recorder.await("onOpen", TIMEOUT);
			raw.sendFrame(false, 0, RawWebSocket.BINARY, pattern(FRAME));
			raw.sendFrame(false, 0, RawWebSocket.CONTINUATION, pattern(FRAME));
			Poll.until("two frames received", () -> StreamProtocol.received == 2 * FRAME, TIMEOUT);
			raw.sendClose(1000, "bye");
			assertThat(raw.awaitCloseFrame(TIMEOUT).closeCode()).isEqualTo(1000);
		}
		HookRecorder.Event close = this.recorder.await("onClose", TIMEOUT);
		assertThat(close.details()).containsExactly(true, 1000, "bye");
		assertThat(this.recorder.history()).extracting(HookRecorder.Event::hook)
			.containsExactly("onOpen", "onMessageBegin", "onClose");
	}

	@Test
	void anExceptionInAStreamingHookClosesOnlyThatConnectionWith1011() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/stream")) {
			this.recorder.await("onOpen", TIMEOUT);
			raw.sendFrame(false, 0, RawWebSocket.TEXT, "fine, ".getBytes(StandardCharsets.UTF_8));
			sendIgnoringReset(raw, false, RawWebSocket.CONTINUATION, StreamProtocol.FAIL);
			assertThat(raw.awaitCloseFrame(TIMEOUT).closeCode()).isEqualTo(1011);
			answerClose(raw, 1011);
		}
		assertThat(this.recorder.await("onClose", TIMEOUT).detail(1)).isIn(1011, 1006);
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/stream")) {
			raw.sendText("still streaming");
			assertThat(raw.readMessage().text()).startsWith("text 15 bytes");
			raw.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
	}

	@Test
	void aStreamedMessagePastMaxStreamedMessageSizeIsRefusedWith1009() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/small-stream")) {
			this.recorder.await("onOpen", TIMEOUT);
			byte[] frame = new byte[FRAME];
			// 1 MB is 1,048,576 bytes: sixteen frames reach it, the seventeenth passes
			// it.
			for (int i = 0; i < 17; i++) {
				sendIgnoringReset(raw, false, (i == 0) ? RawWebSocket.BINARY : RawWebSocket.CONTINUATION, frame);
			}
			assertThat(raw.awaitCloseFrame(TIMEOUT).closeCode()).isEqualTo(1009);
			answerClose(raw, 1009);
		}
		HookRecorder.Event close = this.recorder.await("onClose", TIMEOUT);
		assertThat(close.detail(1)).isIn(1009, 1006);
		assertThat(StreamProtocol.received).as("bytes handed to onMessageFrameData").isEqualTo(16L * FRAME);
		assertThat(this.recorder.history()).extracting(HookRecorder.Event::hook).doesNotContain("onMessageEnd");
	}

	/** Answer the server's close frame, if the connection is still there to take it. */
	private static void answerClose(RawWebSocket raw, int code) {
		try {
			raw.sendClose(code, "");
		}
		catch (IOException ex) {
			// The server may have dropped the connection after its close frame.
		}
	}

	/** Send a frame; a connection the server already closed may refuse it. */
	private static void sendIgnoringReset(RawWebSocket raw, boolean fin, int opcode, byte[] payload) {
		try {
			raw.sendFrame(fin, 0, opcode, payload);
		}
		catch (IOException ex) {
			// The server closed after refusing what came before.
		}
	}

	private static byte[] pattern(int length) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) (i * 31 + (i >>> 8));
		}
		return bytes;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, BufferProtocol.class, TightProtocol.class, StreamProtocol.class,
			SmallStreamProtocol.class })
	static class LargeMessageApplication {

	}

	/**
	 * Takes whole messages in buffers: records whether each was binary, read-only and how
	 * long, and whether a binary one was direct, and echoes the buffer it was lent.
	 */
	@WebSocketEndpoint(path = "/buffer", name = "buffer")
	static class BufferProtocol extends RecordingProtocol {

		BufferProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public void onMessage(ByteBuffer payload, boolean isBinary) {
			this.recorder.record("onMessage", isBinary, payload.isReadOnly(), payload.remaining());
			if (isBinary) {
				this.recorder.record("direct", payload.isDirect());
			}
			// The lent buffer itself: the send copies it, as the stack reuses it after
			// this call.
			sendMessage(payload, isBinary);
		}

	}

	@WebSocketEndpoint(path = "/tight", name = "tight")
	static class TightProtocol extends BufferProtocol {

		TightProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

	/**
	 * Streams its messages: records the message's start and end, and each frame of a text
	 * message; counts the bytes, their CRC and the largest part, and answers each message
	 * with a summary of them. Keeps nothing of the payload.
	 */
	@WebSocketEndpoint(path = "/stream", name = "stream")
	static class StreamProtocol extends WebSocketServerProtocol {

		/**
		 * Bytes of the current message so far (one connection at a time in these tests).
		 */
		static volatile long received;

		/** A frame that makes {@code onMessageFrameData} throw. */
		static final byte[] FAIL = "fail here".getBytes(StandardCharsets.UTF_8);

		private final HookRecorder recorder;

		private final CRC32 crc = new CRC32();

		private boolean binary;

		private long largest;

		StreamProtocol(HookRecorder recorder) {
			this.recorder = recorder;
		}

		@Override
		public void onOpen() {
			this.recorder.record("onOpen");
		}

		@Override
		public void onMessageBegin(boolean isBinary) {
			this.recorder.record("onMessageBegin", isBinary);
			this.binary = isBinary;
			this.crc.reset();
			this.largest = 0;
			received = 0;
		}

		@Override
		public void onMessageFrameBegin(long length) {
			if (!this.binary) {
				this.recorder.record("onMessageFrameBegin", length);
			}
		}

		@Override
		public void onMessageFrameData(ByteBuffer payload) {
			if (!payload.isReadOnly()) {
				throw new IllegalStateException("a writable buffer was handed over");
			}
			int length = payload.remaining();
			if (payload.equals(ByteBuffer.wrap(FAIL))) {
				throw new IllegalStateException("a failure the test asked for");
			}
			if (!this.binary) {
				byte[] copy = new byte[length];
				payload.duplicate().get(copy);
				this.recorder.record("onMessageFrameData", (Object) copy);
			}
			this.crc.update(payload);
			this.largest = Math.max(this.largest, length);
			received += length;
		}

		@Override
		public void onMessageFrameEnd() {
			if (!this.binary) {
				this.recorder.record("onMessageFrameEnd");
			}
		}

		@Override
		public void onMessageEnd() {
			this.recorder.record("onMessageEnd");
			sendMessage((this.binary ? "binary " : "text ") + received + " bytes, crc " + this.crc.getValue()
					+ ", largest frame " + this.largest);
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			this.recorder.recordNullable("onClose", wasClean, code, reason);
		}

	}

	@WebSocketEndpoint(path = "/small-stream", name = "small-stream")
	static class SmallStreamProtocol extends StreamProtocol {

		SmallStreamProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

}
