package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.autobahn.spring.websocket.WebSocketServerProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for sending a message in parts ({@code beginMessage},
 * {@code sendMessageFrameData}, {@code endMessage}) through the {@link OutboundQueue} and
 * the channel, without sockets: the frames of a streamed message and of whole messages
 * sent meanwhile from other threads never interleave, control frames may pass between its
 * frames, its frames count against the bounds and the budget, and misuse fails at once.
 */
class StreamingSendTests {

	private final ExecutorService completions = Executors.newFixedThreadPool(2);

	private final List<FakeEndpoint> endpoints = new ArrayList<>();

	@AfterEach
	void shutdown() {
		this.completions.shutdownNow();
		this.endpoints.forEach(FakeEndpoint::close);
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void wholeMessagesFromOtherThreadsWaitUntilTheStreamedOneEnds(boolean buffered) throws Exception {
		OutboundQueueTests.RecordingTransport transport = new OutboundQueueTests.RecordingTransport(buffered,
				this.completions);
		OutboundQueue queue = queue(transport, Long.MAX_VALUE, new Budget("outbound", Budget.UNLIMITED, null));
		ExecutorService senders = Executors.newFixedThreadPool(4);
		try {
			for (int round = 0; round < 20; round++) {
				OutboundQueue.Outgoing streamed = OutboundQueue.Outgoing.streamed(false);
				assertThat(queue.send(streamed)).isTrue();
				List<Future<?>> sent = new ArrayList<>();
				for (int t = 0; t < 4; t++) {
					int thread = t;
					sent.add(senders.submit(() -> {
						for (int i = 0; i < 20; i++) {
							byte[] payload = ("whole " + thread + " " + i).getBytes(StandardCharsets.UTF_8);
							assertThat((i % 2 == 0) ? queue.sendMessage(payload, false, 0)
									: queue.send(OutboundQueue.Outgoing.message(payload, false, 3)))
								.isTrue();
						}
					}));
				}
				StringBuilder expected = new StringBuilder();
				for (int part = 0; part < 100; part++) {
					String text = "part" + part + "é;";
					expected.append(text);
					assertThat(queue.sendFrame(streamed, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))))
						.isTrue();
					if (part % 10 == 0) {
						Thread.yield();
					}
				}
				for (Future<?> future : sent) {
					future.get(10, TimeUnit.SECONDS);
				}
				assertThat(queue.endStreamed(streamed)).isTrue();
				Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queue.getHeld() == 0);
				List<String> messages = transport.messages();
				assertThat(messages).hasSize((round + 1) * 81);
				assertThat(messages.subList(round * 81, (round + 1) * 81)).as("round %d", round)
					.contains(expected.toString())
					.allSatisfy((message) -> assertThat(message).satisfiesAnyOf(
							(m) -> assertThat(m).isEqualTo(expected.toString()),
							(m) -> assertThat(m).matches("whole \\d+ \\d+")));
			}
		}
		finally {
			senders.shutdownNow();
		}
		assertThat(transport.overlapping.get()).isZero();
	}

	@Test
	void controlFramesPassBetweenTheFramesOfAStreamedMessageAndWholeMessagesDoNot() {
		OutboundQueueTests.RecordingTransport transport = new OutboundQueueTests.RecordingTransport(false, null) {

			@Override
			public void sendPing(ByteBuffer payload, Completion completion) {
				this.fragments.add("<ping>");
				super.sendPing(payload, completion);
			}

		};
		OutboundQueue queue = queue(transport, Long.MAX_VALUE, new Budget("outbound", Budget.UNLIMITED, null));
		OutboundQueue.Outgoing streamed = OutboundQueue.Outgoing.streamed(false);
		queue.send(streamed);
		queue.sendFrame(streamed, utf8("a"));
		queue.sendMessage(utf8bytes("whole"), false, 0);
		queue.send(OutboundQueue.Outgoing.ping(new byte[1]));
		queue.sendFrame(streamed, utf8("b"));
		assertThat(transport.fragments).containsExactly("a", "b");
		queue.endStreamed(streamed);
		assertThat(transport.fragments).containsExactly("a", "b", "", "whole", "<ping>");
		assertThat(transport.messages()).containsExactly("ab", "whole");

		OutboundQueue.Outgoing second = OutboundQueue.Outgoing.streamed(false);
		queue.send(second);
		queue.sendFrame(second, utf8("c"));
		queue.send(OutboundQueue.Outgoing.ping(new byte[1]));
		assertThat(transport.fragments).as("a ping while the streamed message waits for its sender")
			.endsWith("c", "<ping>");
		queue.endStreamed(second);
		assertThat(transport.messages()).containsExactly("ab", "whole", "c");
	}

	@Test
	void aStreamedMessagesFramesCountAgainstTheBoundsAndTheBudgetAndComeBack() {
		OutboundQueueTests.HeldTransport transport = new OutboundQueueTests.HeldTransport(true);
		OutboundQueueTests.RecordingListener listener = new OutboundQueueTests.RecordingListener();
		Budget budget = new Budget("outbound", Budget.UNLIMITED, null);
		OutboundQueue queue = new OutboundQueue(transport, listener,
				new OutboundQueue.SendBounds(10_000, 1000, 300, TimeUnit.SECONDS.toNanos(10)), budget, null);
		OutboundQueue.Outgoing streamed = OutboundQueue.Outgoing.streamed(true);
		queue.send(streamed);
		int frames = 0;
		while (queue.isWritable()) {
			assertThat(queue.sendFrame(streamed, ByteBuffer.allocate(100))).isTrue();
			frames++;
		}
		assertThat(frames).as("frames until past the high-water mark").isEqualTo(11);
		assertThat(budget.getInUse()).isGreaterThanOrEqualTo(1100);
		transport.complete(9);
		assertThat(queue.isWritable()).isTrue();
		assertThat(listener.writable.get()).isEqualTo(1);
		for (int i = 0; i < 100; i++) {
			queue.sendFrame(streamed, ByteBuffer.allocate(100));
		}
		assertThat(listener.overflow.get()).as("past send-buffer-size-limit").contains("send buffer limit");
		assertThat(queue.sendFrame(streamed, ByteBuffer.allocate(1))).isFalse();
		assertThat(queue.endStreamed(streamed)).isFalse();
		queue.discard();
		transport.completeAll();
		assertThat(queue.getHeld()).isZero();
		assertThat(budget.getInUse()).isZero();
	}

	@Test
	void aCloseWhileAStreamedMessageWaitsGoesOutAndDropsTheRestOfIt() {
		OutboundQueueTests.RecordingTransport transport = new OutboundQueueTests.RecordingTransport(false, null) {

			@Override
			public void close(@org.jspecify.annotations.Nullable Integer code,
					@org.jspecify.annotations.Nullable String reason, Completion completion) {
				this.fragments.add("<close>");
				super.close(code, reason, completion);
			}

		};
		Budget budget = new Budget("outbound", Budget.UNLIMITED, null);
		OutboundQueue queue = queue(transport, Long.MAX_VALUE, budget);
		OutboundQueue.Outgoing streamed = OutboundQueue.Outgoing.streamed(false);
		queue.send(streamed);
		queue.sendFrame(streamed, utf8("a"));
		queue.send(OutboundQueue.Outgoing.close(1000, null));
		assertThat(transport.fragments).containsExactly("a", "<close>");
		assertThat(queue.sendFrame(streamed, utf8("b"))).as("nothing may follow a close frame").isFalse();
		assertThat(queue.endStreamed(streamed)).isFalse();
		assertThat(transport.fragments).containsExactly("a", "<close>");
		assertThat(queue.getHeld()).isZero();
	}

	@Test
	void misuseOfTheChannelFailsWithAClearExceptionAndOtherSendsWaitForTheEnd() throws Exception {
		FakeEndpoint fake = new FakeEndpoint(() -> new WebSocketServerProtocol() {
		}, Budget.UNLIMITED, (builder) -> builder);
		this.endpoints.add(fake);
		ProtocolConnection connection = fake.connect();
		FakeEndpoint.FakeTransport transport = new FakeEndpoint.FakeTransport();
		connection.open(transport);
		ConnectionChannel channel = connection.channel();
		assertThatIllegalStateException().isThrownBy(() -> channel.sendMessageFrameData(new byte[1]))
			.withMessageContaining("without beginMessage()");
		assertThatIllegalStateException().isThrownBy(channel::endMessage)
			.withMessageContaining("without beginMessage()");
		channel.beginMessage(false);
		assertThatIllegalStateException().isThrownBy(() -> channel.beginMessage(true))
			.withMessageContaining("call endMessage() first");
		byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> channel.sendMessageFrameData(new byte[] { 'x', euro[0], euro[1] }))
			.withMessageContaining("code point boundary");
		channel.sendMessageFrameData("x€".getBytes(StandardCharsets.UTF_8));
		ExecutorService other = Executors.newSingleThreadExecutor();
		try {
			other.submit(() -> channel.sendMessage("other".getBytes(StandardCharsets.UTF_8), false, 0))
				.get(10, TimeUnit.SECONDS);
		}
		finally {
			other.shutdownNow();
		}
		channel.sendMessage("mine".getBytes(StandardCharsets.UTF_8), false, 0);
		assertThat(transport.written).as("whole messages, from this thread too, wait for the end")
			.containsExactly("text x€");
		channel.endMessage();
		assertThat(transport.written).containsExactly("text x€", "text ", "text other", "text mine");
		assertThat(channel.getMessagesSent()).isEqualTo(3);
		channel.sendMessage(new byte[1], true, 0);
		assertThat(transport.written).endsWith("binary 1");
	}

	@Test
	void codePointBoundaries() {
		assertThat(ConnectionChannel.endsOnCodePointBoundary(utf8(""))).isTrue();
		assertThat(ConnectionChannel.endsOnCodePointBoundary(utf8("abc"))).isTrue();
		assertThat(ConnectionChannel.endsOnCodePointBoundary(utf8("aé€😀"))).isTrue();
		byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
		for (int cut = 1; cut < 4; cut++) {
			assertThat(ConnectionChannel.endsOnCodePointBoundary(ByteBuffer.wrap(emoji, 0, cut))).isFalse();
		}
	}

	private static OutboundQueue queue(Transport transport, long sizeLimit, Budget budget) {
		return new OutboundQueue(transport, new OutboundQueueTests.FailingListener(),
				new OutboundQueue.SendBounds(sizeLimit, sizeLimit, sizeLimit, TimeUnit.SECONDS.toNanos(10)), budget,
				null);
	}

	private static ByteBuffer utf8(String text) {
		return ByteBuffer.wrap(utf8bytes(text));
	}

	private static byte[] utf8bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
