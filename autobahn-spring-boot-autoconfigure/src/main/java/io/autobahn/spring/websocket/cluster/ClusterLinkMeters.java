package io.autobahn.spring.websocket.cluster;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The meters of a {@link RedisClusterLink}, read from its counters when the registry is
 * scraped (nothing is counted twice): {@code autobahn.websocket.cluster.published},
 * {@code .received}, {@code .publish.failures}, {@code .received.missed},
 * {@code .received.invalid} (counters), {@code .link.up} (1 or 0) and {@code .instances}
 * (the instances heard from, this one included). Untagged: one link per application.
 * Stateless once bound.
 */
public class ClusterLinkMeters implements MeterBinder {

	private final RedisClusterLink link;

	/**
	 * Create the meters of a link.
	 * @param link the link
	 */
	public ClusterLinkMeters(RedisClusterLink link) {
		this.link = link;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("autobahn.websocket.cluster.published", this.link, RedisClusterLink::getPublished)
			.description("Broadcasts this instance published to the other instances")
			.register(registry);
		FunctionCounter.builder("autobahn.websocket.cluster.received", this.link, RedisClusterLink::getReceived)
			.description("Broadcasts of other instances delivered to this instance's connections")
			.register(registry);
		FunctionCounter
			.builder("autobahn.websocket.cluster.publish.failures", this.link, RedisClusterLink::getPublishFailures)
			.description("Broadcasts not published (link down, publish buffer full, or Redis refused them)")
			.register(registry);
		FunctionCounter.builder("autobahn.websocket.cluster.received.missed", this.link, RedisClusterLink::getMissed)
			.description("Broadcasts of other instances that did not reach this one (gaps in their sequence numbers)")
			.register(registry);
		FunctionCounter.builder("autobahn.websocket.cluster.received.invalid", this.link, RedisClusterLink::getInvalid)
			.description("Messages on the cluster channels that were no envelope, dropped")
			.register(registry);
		Gauge.builder("autobahn.websocket.cluster.link.up", this.link, (link) -> link.isLinkUp() ? 1 : 0)
			.description("Whether the cluster link is up (1) or down (0)")
			.register(registry);
		Gauge.builder("autobahn.websocket.cluster.instances", this.link, (link) -> link.getInstanceConnections().size())
			.description("Instances heard from within three heartbeat intervals, this one included")
			.register(registry);
	}

}
