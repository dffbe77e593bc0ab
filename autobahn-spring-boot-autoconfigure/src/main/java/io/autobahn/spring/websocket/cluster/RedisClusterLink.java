package io.autobahn.spring.websocket.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

import io.autobahn.spring.websocket.ConnectionSelector;
import io.autobahn.spring.websocket.WebSocketConnection;
import io.autobahn.spring.websocket.core.BroadcastRelay;
import io.autobahn.spring.websocket.core.ClusterView;
import io.autobahn.spring.websocket.core.ConnectionRegistry;

/**
 * The link of this application instance to the others through Redis pub/sub: the
 * {@link BroadcastRelay} of the {@link ConnectionRegistry}, which publishes each
 * broadcast that may travel after its local delivery, and the subscriber that delivers
 * the other instances' broadcasts to this instance's connections (its own come back from
 * Redis and are skipped, by instance id). Broadcasts are published on
 * {@code <prefix>endpoint:<name>}, or {@code <prefix>all} for those of every endpoint;
 * heartbeats on {@code <prefix>heartbeat}.
 * <p>
 * Delivery is at most once, as Redis pub/sub's: what is published while an instance is
 * not subscribed is lost for it, and counted ({@link #getMissed()}) when a later
 * broadcast or heartbeat of the sender shows the gap in its sequence numbers. A broadcast
 * made while the link is down is not published, and counted
 * ({@link #getPublishFailures()}). The link is up while this instance's own heartbeats
 * (and broadcasts) come back from Redis; it goes down when they are more than three
 * heartbeat intervals late and nothing else arrived meanwhile either (a burst of
 * broadcasts delays every instance's heartbeats behind it, which is no outage), or ten
 * intervals late whatever arrives, or when a publish fails, with one WARN line, and comes
 * back on its own (Lettuce reconnects and subscribes again; a subscription that failed is
 * retried every heartbeat interval), with one INFO line.
 * <p>
 * A broadcast never waits for Redis: it is copied into a queue bounded by bytes (a
 * broadcast past the bound counts as a publish failure) that one thread of its own
 * publishes in order, so that one instance's broadcasts reach every other in the order
 * they were made. Received broadcasts are delivered on the subscription's thread, in the
 * order Redis sent them; each connection's own bounded send path applies, so a slow
 * receiver slows down no one.
 * <p>
 * Thread-safe. A {@link SmartLifecycle}: started (without waiting for Redis) before the
 * registry, stopped after it. Over this project's usual length, with its javadoc: the
 * publisher, the subscriber and the heartbeat share the link's state and lifecycle; what
 * it knows of the other instances is {@link ClusterPeers}, the form that travels
 * {@link ClusterEnvelope}.
 */
public class RedisClusterLink implements BroadcastRelay, ClusterView, MessageListener, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RedisClusterLink.class);

	/** Heartbeats late by this many intervals take the link down. */
	private static final int LATE_HEARTBEATS = 3;

	/**
	 * Heartbeats late by this many intervals take the link down even while other messages
	 * arrive: no backlog delays them so long.
	 */
	private static final int LATE_HEARTBEATS_BEHIND_TRAFFIC = 10;

	private final RedisConnectionFactory connectionFactory;

	private final ConnectionRegistry registry;

	private final String instanceId;

	private final String channelPrefix;

	private final Duration heartbeatInterval;

	/** Broadcasts waiting to be published, bounded by their bytes, and the heartbeat. */
	private final BlockingQueue<Outgoing> outgoing = new LinkedBlockingQueue<>();

	private final long publishBufferSizeLimit;

	/**
	 * The bytes of the broadcasts in {@link #outgoing}, each with an allowance for its
	 * entry.
	 */
	private final AtomicLong queuedBytes = new AtomicLong();

	/** Where the sequence number sits in an encoded broadcast of this instance. */
	private final int sequenceOffset;

	private final LongAdder published = new LongAdder();

	private final LongAdder received = new LongAdder();

	private final LongAdder publishFailures = new LongAdder();

	private final LongAdder invalid = new LongAdder();

	private final ClusterPeers peers = new ClusterPeers();

	private final AtomicBoolean heartbeatPending = new AtomicBoolean();

	private final AtomicBoolean invalidLogged = new AtomicBoolean();

	private final Object lifecycleMonitor = new Object();

	private volatile boolean running;

	private volatile boolean linkUp;

	/**
	 * When this instance's last heartbeat or broadcast came back from Redis
	 * (System.nanoTime), 0 if never.
	 */
	private volatile long lastEcho;

	/** When the last message of any instance came from Redis (System.nanoTime). */
	private volatile long lastHeard;

	/** When the link went down or the first subscription was tried (System.nanoTime). */
	private volatile long downSince;

	/** Whether the current outage was logged. */
	private volatile boolean outageLogged;

	/**
	 * Broadcasts not published since the link went down, for the line that says it is
	 * back.
	 */
	private final LongAdder failuresInOutage = new LongAdder();

	/**
	 * The last sequence number this instance gave a broadcast (publisher thread only
	 * writes).
	 */
	private volatile long sequence;

	private volatile @Nullable RedisConnection subscription;

	private volatile @Nullable ScheduledExecutorService scheduler;

	private volatile @Nullable Thread publisher;

	/**
	 * Create a link.
	 * @param connectionFactory where the Redis connections come from (Lettuce: the
	 * subscription must not block the thread that makes it)
	 * @param registry the connections to deliver to, whose broadcasts this link publishes
	 * @param instanceId this instance's id, unique among the instances
	 * @param channelPrefix the prefix of every channel
	 * @param heartbeatInterval how often this instance tells the others it is there
	 * @param publishBufferSizeLimit how many bytes of broadcasts may wait to be published
	 */
	public RedisClusterLink(RedisConnectionFactory connectionFactory, ConnectionRegistry registry, String instanceId,
			String channelPrefix, Duration heartbeatInterval, long publishBufferSizeLimit) {
		Assert.hasText(instanceId, "instanceId must not be empty");
		Assert.isTrue(heartbeatInterval.toMillis() > 0, "heartbeatInterval must be positive");
		Assert.isTrue(publishBufferSizeLimit > 0, "publishBufferSizeLimit must be positive");
		this.connectionFactory = connectionFactory;
		this.registry = registry;
		this.instanceId = instanceId;
		this.channelPrefix = channelPrefix;
		this.heartbeatInterval = heartbeatInterval;
		this.publishBufferSizeLimit = publishBufferSizeLimit;
		this.sequenceOffset = 2 + 2 + instanceId.getBytes(StandardCharsets.UTF_8).length;
	}

	/**
	 * Return this instance's id.
	 * @return the id
	 */
	@Override
	public String getInstanceId() {
		return this.instanceId;
	}

	/**
	 * Return whether the link is up: this instance's heartbeats come back from Redis.
	 * @return whether broadcasts are published
	 */
	@Override
	public boolean isLinkUp() {
		return this.linkUp;
	}

	/**
	 * Return how many broadcasts this instance published.
	 * @return the count
	 */
	public long getPublished() {
		return this.published.sum();
	}

	/**
	 * Return how many broadcasts of other instances this instance received and delivered.
	 * @return the count
	 */
	public long getReceived() {
		return this.received.sum();
	}

	/**
	 * Return how many broadcasts this instance did not publish: made while the link was
	 * down, past the publish buffer's size limit, or refused by Redis.
	 * @return the count
	 */
	public long getPublishFailures() {
		return this.publishFailures.sum();
	}

	/**
	 * Return how many broadcasts of other instances did not reach this one, as the gaps
	 * in their sequence numbers show.
	 * @return the count
	 */
	public long getMissed() {
		return this.peers.missed();
	}

	/**
	 * Return how many messages on the channels were no envelope of this version, and were
	 * dropped.
	 * @return the count
	 */
	public long getInvalid() {
		return this.invalid.sum();
	}

	/**
	 * Return how many broadcasts came twice (a publish Lettuce sent again after a
	 * reconnect), and were delivered once.
	 * @return the count
	 */
	public long getDuplicates() {
		return this.peers.duplicates();
	}

	/**
	 * Return the count of connections clients opened to each instance heard from within
	 * the last three heartbeat intervals, this one included, by instance id.
	 * @return the counts, sorted by instance id
	 */
	@Override
	public Map<String, Integer> getInstanceConnections() {
		Map<String, Integer> counts = new TreeMap<>();
		this.peers.putConnections(counts, lateNanos());
		counts.put(this.instanceId, serverConnections());
		return counts;
	}

	@Override
	public void relay(@Nullable String endpoint, ConnectionSelector selector, boolean isBinary, ByteBuffer payload) {
		if (!this.linkUp) {
			failed();
			return;
		}
		byte[] bytes = ClusterEnvelope.encodeBroadcast(this.instanceId, 0, endpoint, selector, isBinary, payload);
		String channel = (endpoint != null) ? this.channelPrefix + "endpoint:" + endpoint : this.channelPrefix + "all";
		Outgoing entry = new Outgoing(channel, bytes);
		if (this.queuedBytes.addAndGet(entry.size()) > this.publishBufferSizeLimit) {
			this.queuedBytes.addAndGet(-entry.size());
			failed();
			if (logger.isDebugEnabled()) {
				logger.debug("Cluster publish buffer full (" + this.queuedBytes.get()
						+ " bytes waiting): a broadcast of " + bytes.length + " bytes was not published");
			}
			return;
		}
		this.outgoing.add(entry);
	}

	private void failed() {
		this.publishFailures.increment();
		this.failuresInOutage.increment();
	}

	@Override
	public void onMessage(Message message, byte @Nullable [] pattern) {
		ClusterEnvelope envelope;
		try {
			envelope = ClusterEnvelope.decode(message.getBody());
		}
		catch (IllegalArgumentException ex) {
			this.invalid.increment();
			if (this.invalidLogged.compareAndSet(false, true) && logger.isDebugEnabled()) {
				logger.debug("Dropped a message on cluster channel "
						+ new String(message.getChannel(), StandardCharsets.UTF_8) + " that is no envelope: "
						+ ex.getMessage() + " (further ones are counted, not logged)");
			}
			return;
		}
		this.lastHeard = System.nanoTime();
		try {
			if (envelope.heartbeat()) {
				heartbeat(envelope);
			}
			else if (this.instanceId.equals(envelope.origin())) {
				this.lastEcho = this.lastHeard;
			}
			else if (this.peers.broadcast(envelope.origin(), envelope.sequence())) {
				this.registry.broadcastLocally(envelope.endpoint(), envelope.selector(),
						this.registry.prepareMessage(envelope.payload(), envelope.binary()));
				this.received.increment();
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not deliver a broadcast from instance " + envelope.origin() + ": " + ex, ex);
		}
	}

	private void heartbeat(ClusterEnvelope envelope) {
		if (this.instanceId.equals(envelope.origin())) {
			this.lastEcho = System.nanoTime();
			if (!this.linkUp) {
				up();
			}
			return;
		}
		this.peers.heartbeat(envelope.origin(), envelope.sequence(), envelope.connections());
	}

	private void up() {
		synchronized (this.lifecycleMonitor) {
			if (this.linkUp) {
				return;
			}
			this.linkUp = true;
			if (this.outageLogged) {
				logger.info("Cluster link up again (instance " + this.instanceId + "); "
						+ this.failuresInOutage.sumThenReset()
						+ " broadcast(s) made while it was down were not published");
			}
			else {
				this.failuresInOutage.reset();
				logger.info("Cluster link up (instance " + this.instanceId + ", Redis channels " + this.channelPrefix
						+ "*)");
			}
			this.outageLogged = false;
		}
	}

	private void down(String why) {
		synchronized (this.lifecycleMonitor) {
			if (this.linkUp) {
				this.linkUp = false;
				this.downSince = System.nanoTime();
			}
			if (!this.outageLogged && this.running) {
				this.outageLogged = true;
				logger.warn("Cluster link down, reconnecting (instance " + this.instanceId + "): " + why
						+ "; broadcasts reach this instance's connections only until it is back");
			}
		}
	}

	/** Every heartbeat interval, on the scheduler's thread. */
	private void tick() {
		try {
			if (this.subscription == null) {
				subscribe();
			}
			else if (!this.linkUp && System.nanoTime() - this.downSince > 5 * lateNanos()) {
				// Lettuce reconnects by itself; a subscription that still has not come
				// back is
				// made again.
				closeSubscription();
				subscribe();
			}
			long now = System.nanoTime();
			if (this.linkUp && now - this.lastEcho > lateNanos() && (now - this.lastHeard > lateNanos()
					|| now - this.lastEcho > LATE_HEARTBEATS_BEHIND_TRAFFIC * this.heartbeatInterval.toNanos())) {
				down("no heartbeat came back from Redis for " + (now - this.lastEcho) / 1_000_000 + " ms");
			}
			this.peers.forget(100 * lateNanos());
			if (this.heartbeatPending.compareAndSet(false, true)) {
				this.outgoing.add(Outgoing.HEARTBEAT);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Cluster heartbeat failed", ex);
		}
	}

	private void subscribe() {
		RedisConnection connection = null;
		try {
			connection = this.connectionFactory.getConnection();
			connection.pSubscribe(this, pattern().getBytes(StandardCharsets.UTF_8));
			this.subscription = connection;
			if (logger.isDebugEnabled()) {
				logger.debug("Cluster link subscribed to " + pattern());
			}
		}
		catch (RuntimeException ex) {
			if (connection != null) {
				try {
					connection.close();
				}
				catch (RuntimeException closeFailure) {
					// Not open.
				}
			}
			down(describe(ex));
		}
	}

	private String pattern() {
		StringBuilder pattern = new StringBuilder();
		for (char c : this.channelPrefix.toCharArray()) {
			if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
				pattern.append('\\');
			}
			pattern.append(c);
		}
		return pattern.append('*').toString();
	}

	private void closeSubscription() {
		RedisConnection connection = this.subscription;
		this.subscription = null;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not close the cluster subscription", ex);
			}
		}
	}

	/** The publisher thread: publishes in order, one at a time. */
	private void publish() {
		while (this.running) {
			Outgoing next;
			try {
				next = this.outgoing.take();
			}
			catch (InterruptedException ex) {
				return;
			}
			this.queuedBytes.addAndGet(-next.size());
			byte[] bytes;
			String channel;
			if (next == Outgoing.HEARTBEAT) {
				this.heartbeatPending.set(false);
				bytes = ClusterEnvelope.heartbeat(this.instanceId, this.sequence, serverConnections()).encode();
				channel = this.channelPrefix + "heartbeat";
			}
			else if (!this.linkUp) {
				failed();
				continue;
			}
			else {
				bytes = next.bytes();
				channel = next.channel();
				// Every attempt has a number of its own: a publish that failed here may
				// still
				// have reached Redis, and the next one must not look like its duplicate.
				this.sequence++;
				ByteBuffer.wrap(bytes).putLong(this.sequenceOffset, this.sequence);
			}
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				connection.publish(channel.getBytes(StandardCharsets.UTF_8), bytes);
				if (next != Outgoing.HEARTBEAT) {
					this.published.increment();
				}
			}
			catch (RuntimeException ex) {
				if (next != Outgoing.HEARTBEAT) {
					failed();
				}
				if (this.running) {
					down(describe(ex));
				}
			}
		}
	}

	private static String describe(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return (cause != ex) ? ex.getMessage() + " (" + cause.getMessage() + ")" : String.valueOf(ex.getMessage());
	}

	/**
	 * The connections clients opened to this instance (not those its own clients opened).
	 */
	private int serverConnections() {
		int count = 0;
		for (WebSocketConnection connection : this.registry) {
			if (connection.isServer()) {
				count++;
			}
		}
		return count;
	}

	private long lateNanos() {
		return LATE_HEARTBEATS * this.heartbeatInterval.toNanos();
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			this.running = true;
			this.downSince = System.nanoTime();
			Thread thread = new Thread(this::publish, "autobahn-cluster-publisher");
			thread.setDaemon(true);
			this.publisher = thread;
			thread.start();
			ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread heartbeat = new Thread(task, "autobahn-cluster-heartbeat");
				heartbeat.setDaemon(true);
				return heartbeat;
			});
			this.scheduler = executor;
			executor.scheduleWithFixedDelay(this::tick, 0, this.heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
			this.registry.setBroadcastRelay(this);
		}
	}

	@Override
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			if (!this.running) {
				return;
			}
			this.running = false;
			this.linkUp = false;
			if (this.registry.getBroadcastRelay() == this) {
				this.registry.setBroadcastRelay(BroadcastRelay.NONE);
			}
		}
		ScheduledExecutorService executor = this.scheduler;
		if (executor != null) {
			executor.shutdownNow();
			try {
				executor.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		Thread thread = this.publisher;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.outgoing.clear();
		this.queuedBytes.set(0);
		closeSubscription();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ConnectionRegistry.PHASE - 1;
	}

	@Override
	public String toString() {
		return "RedisClusterLink[instance=" + this.instanceId + ", up=" + this.linkUp + "]";
	}

	/** A broadcast waiting to be published, or the heartbeat. */
	private record Outgoing(String channel, byte[] bytes) {

		static final Outgoing HEARTBEAT = new Outgoing("", new byte[0]);

		/** What it holds, with an allowance for the entry, the record and the channel. */
		long size() {
			return (this == HEARTBEAT) ? 0 : this.bytes.length + 128;
		}

	}

}
