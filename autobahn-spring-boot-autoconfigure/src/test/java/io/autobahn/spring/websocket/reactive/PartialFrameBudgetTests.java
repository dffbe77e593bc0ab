package io.autobahn.spring.websocket.reactive;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.autobahn.spring.websocket.core.Budget;
import io.autobahn.spring.websocket.core.ReceiveMode;
import io.autobahn.spring.websocket.core.StackConnection;
import io.autobahn.spring.websocket.core.Transport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PartialFrameBudget} on an embedded channel: the bytes of an unfinished
 * frame count against the inbound budget, the frame the budget refuses closes with 1013,
 * and the peer's close frame that answers it is reported with its code and reason (a
 * clean close) before the connection is closed.
 */
class PartialFrameBudgetTests {

	private static final byte[] MASK = { 1, 2, 3, 4 };

	private final Budget budget = new Budget("the inbound budget", 100, null);

	private final RecordingConnection connection = new RecordingConnection(this.budget);

	private final EmbeddedChannel channel = new EmbeddedChannel(new PartialFrameBudget(this.connection));

	@Test
	void aFrameThatWouldPassTheBudgetIsRefusedAndThePeersAnswerIsReportedClean() {
		this.channel.writeInbound(Unpooled.wrappedBuffer(header(0x2, 1000)), Unpooled.wrappedBuffer(new byte[50]));
		assertThat(this.budget.getInUse()).isEqualTo(50);
		this.channel.writeInbound(Unpooled.wrappedBuffer(new byte[60]));
		assertThat(this.connection.events).containsExactly("inboundBudgetExceeded 60");
		assertThat(this.budget.getInUse()).isZero();
		byte[] close = closeFrame(1013, "ok");
		this.channel.writeInbound(Unpooled.wrappedBuffer(new byte[890]), Unpooled.wrappedBuffer(close));
		assertThat(this.connection.events).containsExactly("inboundBudgetExceeded 60", "closed 1013 ok");
		assertThat(this.channel.isOpen()).isFalse();
		this.channel.releaseInbound();
	}

	private static byte[] header(int opcode, int length) {
		ByteBuffer header = ByteBuffer.allocate(8);
		header.put((byte) (0x80 | opcode)).put((byte) (0x80 | 126)).putShort((short) length).put(MASK);
		return header.array();
	}

	private static byte[] closeFrame(int code, String reason) {
		byte[] text = reason.getBytes(StandardCharsets.UTF_8);
		byte[] payload = ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).array();
		ByteBuffer frame = ByteBuffer.allocate(6 + payload.length);
		frame.put((byte) 0x88).put((byte) (0x80 | payload.length)).put(MASK);
		for (int i = 0; i < payload.length; i++) {
			frame.put((byte) (payload[i] ^ MASK[i % 4]));
		}
		return frame.array();
	}

	private static final class RecordingConnection implements StackConnection {

		final List<String> events = new CopyOnWriteArrayList<>();

		private final Budget budget;

		RecordingConnection(Budget budget) {
			this.budget = budget;
		}

		@Override
		public void inboundBudgetExceeded(Budget refusedBy, long amount) {
			this.events.add("inboundBudgetExceeded " + amount);
		}

		@Override
		public void closed(int code, @Nullable String reason) {
			this.events.add("closed " + code + " " + reason);
		}

		@Override
		public Budget getInboundBudget() {
			return this.budget;
		}

		@Override
		public void open(Transport transport, @Nullable Executor hookExecutor) {
		}

		@Override
		public void textReceived(String text, boolean last) {
		}

		@Override
		public ReceiveMode receiveMode() {
			return ReceiveMode.BYTES;
		}

		@Override
		public void frameReceived(ByteBuffer data, boolean isBinary, boolean last) {
		}

		@Override
		public void messageReceived(ByteBuffer message, boolean isBinary) {
		}

		@Override
		public void messageReceived(byte[] message, boolean isBinary) {
		}

		@Override
		public void dataReceived() {
		}

		@Override
		public void pingReceived(ByteBuffer payload) {
		}

		@Override
		public void pongReceived(ByteBuffer payload) {
		}

		@Override
		public void messageTooBig(String detail) {
		}

		@Override
		public void abandon() {
		}

		@Override
		public void upgradeTaken() {
		}

	}

}
