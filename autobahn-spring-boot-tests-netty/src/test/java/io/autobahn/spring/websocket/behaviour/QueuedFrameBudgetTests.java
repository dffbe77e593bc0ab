package io.autobahn.spring.websocket.behaviour;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.core.WebSocketBudgets;
import io.autobahn.spring.websocket.test.PerMessageDeflate;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code blocking-hooks} (Reactor Netty only), frames that Netty decodes while a
 * hook is busy wait for it, already inflated: they count against the inbound budget (256
 * KB here), so that one read of small compressed frames cannot queue megabytes. While the
 * hook blocks, a client sends ten deflated messages of 64 KiB each (about a hundred bytes
 * each on the wire) in one write: the frames past the budget are dropped and the
 * connection is closed with 1013; the budget is back at zero once the hook returns.
 */
@SpringBootTest(classes = QueuedFrameBudgetTests.QueuedFrameApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "autobahn.websocket.endpoints.blocking.blocking-hooks=true",
				"autobahn.websocket.application.inbound-budget=256KB" })
class QueuedFrameBudgetTests {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	static final int MESSAGE = 64 * 1024;

	@LocalServerPort
	int port;

	@Autowired
	WebSocketBudgets budgets;

	@Test
	void framesWaitingForABlockingHookArePastTheBudgetClosedWith1013() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/blocking",
				Map.of("Sec-WebSocket-Extensions", "permessage-deflate"))) {
			assertThat(raw.handshake().header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
			raw.sendText("block");
			assertThat(BlockingProtocol.BLOCKING.await(10, TimeUnit.SECONDS)).isTrue();
			byte[] compressed = PerMessageDeflate.compressor(15, true).compress(new byte[MESSAGE]);
			ByteArrayOutputStream frames = new ByteArrayOutputStream();
			for (int i = 0; i < 10; i++) {
				frames.writeBytes(maskedFrame(compressed));
			}
			raw.socket().getOutputStream().write(frames.toByteArray());
			Poll.until("a frame refused", () -> this.budgets.getInbound().getRefusals() > 0, TIMEOUT);
			assertThat(this.budgets.getInbound().getInUse()).as("bytes of the frames waiting").isEqualTo(4L * MESSAGE);
			BlockingProtocol.RELEASE.countDown();
			RawWebSocket.Frame close = raw.awaitCloseFrame(TIMEOUT);
			assertThat(close.closeCode()).isEqualTo(1013);
			raw.sendClose(1013, "");
		}
		Poll.until("inbound budget back at zero", () -> this.budgets.getInbound().getInUse() == 0, TIMEOUT);
		assertThat(this.budgets.getInbound().getRefusals()).isEqualTo(1);
	}

	/** A final binary frame with RSV1 (compressed), masked with a zero mask. */
	private static byte[] maskedFrame(byte[] payload) {
		assertThat(payload.length).isLessThan(126);
		return ByteBuffer.allocate(6 + payload.length)
			.put((byte) (0x80 | 0x40 | 0x2))
			.put((byte) (0x80 | payload.length))
			.putInt(0)
			.put(payload)
			.array();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(BlockingProtocol.class)
	static class QueuedFrameApplication {

	}

	@WebSocketEndpoint(value = "/blocking", name = "blocking")
	static class BlockingProtocol extends WebSocketServerProtocol {

		static final CountDownLatch BLOCKING = new CountDownLatch(1);

		static final CountDownLatch RELEASE = new CountDownLatch(1);

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			if ("block".equals(new String(payload, StandardCharsets.UTF_8))) {
				BLOCKING.countDown();
				try {
					RELEASE.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

	}

}
