package io.autobahn.spring.websocket.behaviour;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.TestWebSocket;
import io.autobahn.spring.websocket.test.WebSocketTestClient;
import io.autobahn.spring.websocket.test.autoconfigure.AutoConfigureWebSocketTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incoming message semantics: {@code onOpen} runs after the {@code 101} has reached the
 * client and before any {@code onMessage}; messages are delivered in arrival order and
 * never two hooks at once for one connection, also when the client pipelines hundreds of
 * messages (interleaved with unsolicited pongs); text arrives as its UTF-8 bytes with
 * {@code isBinary=false}, also when the client fragments it inside multi-byte code points
 * or into 1-byte frames. The clients are the users' test kit
 * ({@link WebSocketTestClient}) and, for pipelining, the JDK's. Stack-neutral: subclassed
 * per container.
 */
@SpringBootTest(classes = MessagingTests.MessagingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebSocketTestClient
class MessagingTests extends AbstractBehaviourTests {

	@Autowired
	WebSocketTestClient webSocket;

	/** Blocks {@code onOpen} of a connection opened with {@code ?gate}. */
	static volatile CountDownLatch openGate = new CountDownLatch(0);

	/** Set when a gated {@code onOpen} returns. */
	static final AtomicBoolean gatedOpenFinished = new AtomicBoolean();

	@Test
	void onOpenRunsAfterThe101AndBeforeTheFirstMessage() throws Exception {
		openGate = new CountDownLatch(1);
		gatedOpenFinished.set(false);
		try (TestWebSocket client = this.webSocket.connect("/ordered?gate")) {
			// The 101 arrived although onOpen cannot have finished: it waits for the
			// gate.
			assertThat(gatedOpenFinished).as("onOpen finished before the client had the 101").isFalse();
			this.recorder.await("onOpen", TIMEOUT);
			// A message pipelined while onOpen still runs must wait for it.
			client.sendText("first");
			openGate.countDown();
			HookRecorder.Event message = this.recorder.await("onMessage", TIMEOUT);
			assertThat(message.detail(0)).isEqualTo("first");
			assertThat(message.detail(2)).as("onOpen had returned before onMessage").isEqualTo(true);
			client.sendText("stats");
			assertThat(client.nextMessage()).hasText("max=1");
			client.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
		finally {
			openGate.countDown();
		}
	}

	@Test
	void pipelinedMessagesArriveInOrderAndNeverConcurrently() throws Exception {
		try (TestWebSocket client = this.webSocket.connect("/ordered")) {
			for (int i = 0; i < 500; i++) {
				client.sendText(Integer.toString(i));
				if (i % 50 == 0) {
					client.sendPong(("p" + i).getBytes(StandardCharsets.UTF_8));
				}
			}
			client.sendText("stats");
			assertThat(client.nextMessage()).hasText("max=1");
			assertThat(messagesInOrder(501)).containsExactlyElementsOf(numbered(500, "stats"));
			client.sendClose(1000, "");
			this.recorder.await("onClose", TIMEOUT);
		}
	}

	@Test
	void jdkClientPipeliningManyMessagesSeesThemInOrder() throws Exception {
		JdkClient client = JdkClient.connect(this.port, "/ordered");
		for (int i = 0; i < 500; i++) {
			client.sendText(Integer.toString(i));
		}
		client.sendText("stats");
		assertThat(client.next().text()).isEqualTo("max=1");
		assertThat(messagesInOrder(501)).containsExactlyElementsOf(numbered(500, "stats"));
		client.sendClose(1000, "");
		this.recorder.await("onClose", TIMEOUT);
	}

	@Test
	void textArrivesAsItsUtf8BytesAndNotBinary() throws Exception {
		String text = "ascii, é ü ß, € ✓ 中文, 😀 🚀 𝄞";
		try (TestWebSocket client = this.webSocket.connect("/ordered")) {
			client.sendText(text);
			HookRecorder.Event message = this.recorder.await("onMessage", TIMEOUT);
			assertThat((byte[]) message.detail(3)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
			assertThat(message.detail(1)).isEqualTo(false);
		}
		this.recorder.await("onClose", TIMEOUT);
	}

	@Test
	void textFragmentedInsideCodePointsIsJoinedIntoItsUtf8Bytes() throws Exception {
		String text = "x€y😀z";
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		// x | € = E2 82 AC | y | 😀 = F0 9F 98 80 | z
		try (TestWebSocket client = this.webSocket.connect("/ordered")) {
			client.sendFrame(false, 0, RawWebSocket.TEXT, slice(bytes, 0, 2)); // x E2
			client.sendFrame(false, 0, RawWebSocket.CONTINUATION, slice(bytes, 2, 7)); // 82
																						// AC
																						// y
																						// F0
																						// 9F
			client.sendFrame(true, 0, RawWebSocket.CONTINUATION, slice(bytes, 7, bytes.length)); // 98
																									// 80
																									// z
			HookRecorder.Event message = this.recorder.await("onMessage", TIMEOUT);
			assertThat((byte[]) message.detail(3)).isEqualTo(bytes);
			assertThat(message.detail(1)).isEqualTo(false);
		}
		this.recorder.await("onClose", TIMEOUT);
	}

	@Test
	void textInOneByteFragmentsIsJoinedIntoItsUtf8Bytes() throws Exception {
		String text = "aé€😀b𝄞✓";
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		try (TestWebSocket client = this.webSocket.connect("/ordered")) {
			client.sendMessage(bytes, false, 1);
			client.sendText("after");
			HookRecorder.Event message = this.recorder.await("onMessage", TIMEOUT);
			assertThat((byte[]) message.detail(3)).isEqualTo(bytes);
			assertThat(message.detail(1)).isEqualTo(false);
			assertThat(this.recorder.await("onMessage", TIMEOUT).detail(0)).isEqualTo("after");
		}
		this.recorder.await("onClose", TIMEOUT);
	}

	private List<Object> messagesInOrder(int count) throws InterruptedException {
		List<Object> texts = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			texts.add(this.recorder.await("onMessage", TIMEOUT).detail(0));
		}
		return texts;
	}

	private static List<Object> numbered(int count, String last) {
		List<Object> texts = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			texts.add(Integer.toString(i));
		}
		texts.add(last);
		return texts;
	}

	private static byte[] slice(byte[] bytes, int from, int to) {
		byte[] slice = new byte[to - from];
		System.arraycopy(bytes, from, slice, 0, slice.length);
		return slice;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, OrderedProtocol.class })
	static class MessagingApplication {

	}

	/**
	 * Records every hook with how many hooks of this connection ran at the same time.
	 * Answers {@code stats} with the highest count seen.
	 */
	@WebSocketEndpoint(path = "/ordered", name = "ordered")
	static class OrderedProtocol extends WebSocketServerProtocol {

		private final HookRecorder recorder;

		private final AtomicInteger inHooks = new AtomicInteger();

		private final AtomicInteger maxInHooks = new AtomicInteger();

		private volatile boolean opened;

		OrderedProtocol(HookRecorder recorder) {
			this.recorder = recorder;
		}

		@Override
		public void onOpen() {
			enter();
			try {
				this.recorder.record("onOpen", getPeer());
				if (getRequest().params().containsKey("gate")) {
					try {
						openGate.await(5, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					gatedOpenFinished.set(true);
				}
				this.opened = true;
			}
			finally {
				exit();
			}
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			enter();
			try {
				String text = new String(payload, StandardCharsets.UTF_8);
				this.recorder.record("onMessage", text, isBinary, this.opened, payload);
				if (text.equals("stats")) {
					sendMessage("max=" + this.maxInHooks.get());
				}
			}
			finally {
				exit();
			}
		}

		@Override
		public void onPong(byte[] payload) {
			enter();
			exit();
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			enter();
			try {
				this.recorder.recordNullable("onClose", wasClean, code, reason);
			}
			finally {
				exit();
			}
		}

		private void enter() {
			int now = this.inHooks.incrementAndGet();
			this.maxInHooks.accumulateAndGet(now, Math::max);
			// Widen the window in which an overlapping hook would be seen.
			long until = System.nanoTime() + 20_000;
			while (System.nanoTime() < until) {
				Thread.onSpinWait();
			}
		}

		private void exit() {
			this.inHooks.decrementAndGet();
		}

	}

}
