package io.autobahn.spring.websocket.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.DefaultMessage;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.autobahn.spring.websocket.BroadcastResult;
import io.autobahn.spring.websocket.ConnectionSelector;
import io.autobahn.spring.websocket.PreparedMessage;
import io.autobahn.spring.websocket.WebSocketConnection;
import io.autobahn.spring.websocket.core.ConnectionRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * What the link does with what comes from Redis, without Redis (the link is not started;
 * messages are handed to it as its subscription would): another instance's broadcast is
 * delivered with its endpoint, selector and payload; this instance's own echo is not; a
 * broadcast that comes twice is delivered once; gaps in a sender's sequence numbers are
 * counted as missed; garbage is counted and dropped; this instance's own heartbeat brings
 * the link up, and a broadcast made while it is down is counted as not published.
 */
class RedisClusterLinkTests {

	private static final byte[] CHANNEL = "autobahn:websocket:endpoint:chat".getBytes(StandardCharsets.UTF_8);

	private static final byte[] PATTERN = "autobahn:websocket:*".getBytes(StandardCharsets.UTF_8);

	private final RecordingRegistry registry = new RecordingRegistry();

	private final RedisClusterLink link = new RedisClusterLink(mock(RedisConnectionFactory.class), this.registry,
			"self", "autobahn:websocket:", Duration.ofSeconds(1), 1024);

	@Test
	void anotherInstancesBroadcastIsDeliveredWithItsEndpointSelectorAndPayload() {
		ConnectionSelector room = ConnectionSelector.attribute("room", "a");
		receive(broadcast("other", 1, "chat", room, "hello"));
		assertThat(this.registry.delivered).containsExactly("chat " + room + " hello");
		assertThat(this.link.getReceived()).isEqualTo(1);
	}

	@Test
	void thisInstancesOwnBroadcastComingBackIsNotDeliveredAgain() {
		receive(broadcast("self", 1, "chat", ConnectionSelector.all(), "mine"));
		assertThat(this.registry.delivered).isEmpty();
		assertThat(this.link.getReceived()).isZero();
	}

	@Test
	void aBroadcastThatComesTwiceIsDeliveredOnce() {
		receive(broadcast("other", 5, "chat", ConnectionSelector.all(), "once"));
		receive(broadcast("other", 5, "chat", ConnectionSelector.all(), "once"));
		receive(broadcast("other", 6, "chat", ConnectionSelector.all(), "next"));
		assertThat(this.registry.delivered).hasSize(2);
		assertThat(this.link.getDuplicates()).isEqualTo(1);
		assertThat(this.link.getMissed()).isZero();
	}

	@Test
	void gapsInASendersSequenceNumbersAreCountedAsMissed() {
		receive(broadcast("other", 1, "chat", ConnectionSelector.all(), "1"));
		receive(broadcast("other", 4, "chat", ConnectionSelector.all(), "4"));
		assertThat(this.link.getMissed()).isEqualTo(2);
		// A heartbeat says the sender's last broadcast was 6: 5 and 6 never came.
		receive(ClusterEnvelope.heartbeat("other", 6, 10).encode());
		assertThat(this.link.getMissed()).isEqualTo(4);
		assertThat(this.registry.delivered).hasSize(2);
	}

	@Test
	void theFirstMessageOfAnInstanceCountsNothingMissedBeforeIt() {
		receive(broadcast("other", 1000, "chat", ConnectionSelector.all(), "late joiner"));
		receive(ClusterEnvelope.heartbeat("third", 77, 3).encode());
		assertThat(this.link.getMissed()).isZero();
	}

	@Test
	void heartbeatsGiveEachInstancesConnectionCount() {
		receive(ClusterEnvelope.heartbeat("other", 0, 42).encode());
		assertThat(this.link.getInstanceConnections()).containsEntry("other", 42).containsEntry("self", 0).hasSize(2);
	}

	@Test
	void garbageIsCountedAndDropped() {
		receive("garbage".getBytes(StandardCharsets.UTF_8));
		receive(new byte[0]);
		assertThat(this.link.getInvalid()).isEqualTo(2);
		assertThat(this.registry.delivered).isEmpty();
	}

	@Test
	void thisInstancesOwnHeartbeatBringsTheLinkUp() {
		assertThat(this.link.isLinkUp()).isFalse();
		receive(ClusterEnvelope.heartbeat("self", 0, 0).encode());
		assertThat(this.link.isLinkUp()).isTrue();
	}

	@Test
	void aBroadcastWhileTheLinkIsDownIsCountedAsNotPublished() {
		this.link.relay("chat", ConnectionSelector.all(), false, ByteBuffer.wrap(new byte[] { 'x' }));
		assertThat(this.link.getPublishFailures()).isEqualTo(1);
		assertThat(this.link.getPublished()).isZero();
	}

	@Test
	void aBroadcastPastThePublishBufferSizeLimitIsCountedAsNotPublished() {
		receive(ClusterEnvelope.heartbeat("self", 0, 0).encode());
		this.link.relay("chat", ConnectionSelector.all(), false, ByteBuffer.wrap(new byte[2048]));
		assertThat(this.link.getPublishFailures()).isEqualTo(1);
		this.link.relay("chat", ConnectionSelector.all(), false, ByteBuffer.wrap(new byte[100]));
		assertThat(this.link.getPublishFailures()).isEqualTo(1);
	}

	private void receive(byte[] body) {
		this.link.onMessage(new DefaultMessage(CHANNEL, body), PATTERN);
	}

	private static byte[] broadcast(String origin, long sequence, String endpoint, ConnectionSelector selector,
			String text) {
		return ClusterEnvelope.encodeBroadcast(origin, sequence, endpoint, selector, false,
				ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
	}

	/** A registry that records what it is asked to deliver. */
	static class RecordingRegistry extends ConnectionRegistry {

		final List<String> delivered = new ArrayList<>();

		@Override
		public BroadcastResult broadcastLocally(@Nullable String endpoint,
				Predicate<? super WebSocketConnection> filter, PreparedMessage message) {
			byte[] payload = new byte[message.getSize()];
			message.getPayload().get(payload);
			this.delivered.add(endpoint + " " + filter + " " + new String(payload, StandardCharsets.UTF_8));
			return new BroadcastResult(0, 0, 0);
		}

	}

}
