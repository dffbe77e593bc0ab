package io.autobahn.spring.websocket.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.noop.NoopTimer;
import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.core.EndpointObserver;
import io.autobahn.spring.websocket.core.EndpointObservers;

/**
 * Registers the {@code autobahn.websocket.*} meters of each endpoint in a
 * {@link MeterRegistry} and keeps them up to date, as the endpoint's
 * {@link EndpointObserver}. Every meter is tagged with {@code endpoint} (the endpoint's
 * name) and {@code side} ({@code server}, or {@code client} for connections the
 * application opened), and some with a tag of a small fixed set of values ({@code type},
 * {@code code}, {@code status}, {@code reason}, {@code direction}, {@code outcome});
 * never with a URI, a peer or a user. The README lists them.
 * <p>
 * The meters that move with every message are registered with the endpoint, so that a
 * message costs two counter increments and, for {@code autobahn.websocket.onmessage}, two
 * clock reads and a timer record (none when that meter is disabled, for instance with
 * {@code management.metrics.enable.autobahn.websocket.onmessage=false}). Those of closes
 * and refused handshakes are registered the first time their tag value occurs.
 * Thread-safe; one per application.
 */
public final class MicrometerEndpointObservers implements EndpointObservers {

	/** The prefix of every meter's name. */
	public static final String PREFIX = "autobahn.websocket.";

	private final MeterRegistry registry;

	/**
	 * Create observers that register their meters in the given registry.
	 * @param registry the registry
	 */
	public MicrometerEndpointObservers(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public EndpointObserver forEndpoint(String endpoint, Side side) {
		return new MeterObserver(this.registry, Tags.of("endpoint", endpoint, "side", side.tag()));
	}

	/**
	 * The tag value of a close code: a standard code (1000 to 1015) by its number, else
	 * the range it lies in, so that a peer cannot add a tag value per code it sends.
	 */
	static String codeTag(@Nullable Integer code) {
		if (code == null) {
			return "1005";
		}
		if (code >= 1000 && code <= 1015) {
			return Integer.toString(code);
		}
		if (code >= 3000 && code <= 3999) {
			return "3xxx";
		}
		if (code >= 4000 && code <= 4999) {
			return "4xxx";
		}
		return "other";
	}

	private static int codeIndex(String tag) {
		return switch (tag) {
			case "3xxx" -> 16;
			case "4xxx" -> 17;
			case "other" -> 18;
			default -> Integer.parseInt(tag) - 1000;
		};
	}

	/**
	 * The tag value of an HTTP status: its number when it is one, else {@code other}.
	 */
	static String statusTag(int status) {
		return (status >= 100 && status <= 599) ? Integer.toString(status) : "other";
	}

	/**
	 * The meters of one endpoint and side.
	 */
	private static final class MeterObserver implements EndpointObserver {

		private static final int TEXT = 0;

		private static final int BINARY = 1;

		private final MeterRegistry registry;

		private final Tags tags;

		private final AtomicInteger open = new AtomicInteger();

		private final Counter opened;

		private final AtomicReferenceArray<@Nullable Counter> closed = new AtomicReferenceArray<>(19);

		private final Map<String, Counter> refusedHandshakes = new ConcurrentHashMap<>();

		private final Counter[] messagesReceived;

		private final Counter[] messagesSent;

		private final Counter[] payloadReceived;

		private final Counter[] payloadSent;

		private final Counter refusedIncoming;

		private final Counter refusedOutgoing;

		private final Counter sendOverflows;

		private final Counter autoPingTimeouts;

		private final Timer autoPingRoundTrip;

		private final Timer onMessage;

		private final boolean timesOnMessage;

		private final Counter broadcastDelivered;

		private final Counter broadcastFailed;

		MeterObserver(MeterRegistry registry, Tags tags) {
			this.registry = registry;
			this.tags = tags;
			Gauge.builder(PREFIX + "connections.open", this.open, AtomicInteger::get)
				.tags(tags)
				.description("Connections open now")
				.baseUnit("connections")
				.strongReference(true)
				.register(registry);
			this.opened = counter("connections.opened", "Connections opened (just before onOpen)", "connections",
					Tags.empty());
			this.messagesReceived = byType("messages.received", "Messages received (each whole, before onMessage)",
					"messages");
			this.messagesSent = byType("messages.sent", "Messages handed to the send path", "messages");
			this.payloadReceived = byType("payload.received",
					"Payload bytes of the messages received (after decompression)", "bytes");
			this.payloadSent = byType("payload.sent", "Payload bytes of the messages sent (before compression)",
					"bytes");
			String refused = "Messages refused by a budget of buffered bytes (the endpoint's or the application's); "
					+ "their connection was closed";
			this.refusedIncoming = counter("messages.refused", refused, "messages", Tags.of("direction", "in"));
			this.refusedOutgoing = counter("messages.refused", refused, "messages", Tags.of("direction", "out"));
			this.sendOverflows = counter("send.overflows",
					"Connections dropped because their peer did not read fast enough", "connections", Tags.empty());
			this.autoPingTimeouts = counter("autoping.timeouts",
					"Connections dropped because an automatic ping went unanswered", "connections", Tags.empty());
			this.autoPingRoundTrip = Timer.builder(PREFIX + "autoping.rtt")
				.tags(tags)
				.description("Round-trip time of automatic pings, from the ping to the pong that answers it")
				.register(registry);
			this.onMessage = Timer.builder(PREFIX + "onmessage")
				.tags(tags)
				.description("Time spent in onMessage")
				.register(registry);
			this.timesOnMessage = !(this.onMessage instanceof NoopTimer);
			String deliveries = "Connections a broadcast was handed to (delivered) or could not be (failed)";
			this.broadcastDelivered = counter("broadcast.deliveries", deliveries, "messages",
					Tags.of("outcome", "delivered"));
			this.broadcastFailed = counter("broadcast.deliveries", deliveries, "messages",
					Tags.of("outcome", "failed"));
		}

		private Counter counter(String name, String description, String unit, Tags extra) {
			return Counter.builder(PREFIX + name)
				.tags(this.tags.and(extra))
				.description(description)
				.baseUnit(unit)
				.register(this.registry);
		}

		private Counter[] byType(String name, String description, String unit) {
			return new Counter[] { counter(name, description, unit, Tags.of("type", "text")),
					counter(name, description, unit, Tags.of("type", "binary")) };
		}

		@Override
		public void handshakeRefused(int status, Refusal reason) {
			String statusTag = statusTag(status);
			this.refusedHandshakes
				.computeIfAbsent(statusTag + " " + reason.tag(),
						(key) -> counter("handshakes.refused",
								"Opening handshakes refused with an HTTP status instead of 101", "handshakes",
								Tags.of("status", statusTag, "reason", reason.tag())))
				.increment();
		}

		@Override
		public void connectionOpened() {
			this.open.incrementAndGet();
			this.opened.increment();
		}

		@Override
		public void connectionClosed(@Nullable Integer code) {
			this.open.decrementAndGet();
			String tag = codeTag(code);
			int index = codeIndex(tag);
			Counter counter = this.closed.get(index);
			if (counter == null) {
				counter = counter("connections.closed", "Connections closed, by the close code onClose reported",
						"connections", Tags.of("code", tag));
				this.closed.set(index, counter);
			}
			counter.increment();
		}

		@Override
		public void messageReceived(boolean isBinary, int size) {
			int type = isBinary ? BINARY : TEXT;
			this.messagesReceived[type].increment();
			this.payloadReceived[type].increment(size);
		}

		@Override
		public void messageSent(boolean isBinary, int size) {
			int type = isBinary ? BINARY : TEXT;
			this.messagesSent[type].increment();
			this.payloadSent[type].increment(size);
		}

		@Override
		public boolean timesMessageHandling() {
			return this.timesOnMessage;
		}

		@Override
		public void messageHandled(long nanos) {
			this.onMessage.record(nanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void messageRefused(boolean incoming) {
			(incoming ? this.refusedIncoming : this.refusedOutgoing).increment();
		}

		@Override
		public void sendOverflow() {
			this.sendOverflows.increment();
		}

		@Override
		public void autoPingTimeout() {
			this.autoPingTimeouts.increment();
		}

		@Override
		public void autoPong(long roundTripNanos) {
			this.autoPingRoundTrip.record(roundTripNanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void broadcast(int delivered, int failed) {
			if (delivered > 0) {
				this.broadcastDelivered.increment(delivered);
			}
			if (failed > 0) {
				this.broadcastFailed.increment(failed);
			}
		}

	}

}
