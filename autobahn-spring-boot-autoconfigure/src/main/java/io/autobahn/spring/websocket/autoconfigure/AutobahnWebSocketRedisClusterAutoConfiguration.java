package io.autobahn.spring.websocket.autoconfigure;

import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.autobahn.spring.websocket.cluster.ClusterLinkMeters;
import io.autobahn.spring.websocket.cluster.RedisClusterLink;
import io.autobahn.spring.websocket.core.ConnectionRegistry;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the cluster link through Redis
 * pub/sub ({@link RedisClusterLink}): with
 * {@code autobahn.websocket.cluster.redis.enabled=true}, Spring Data Redis and Lettuce on
 * the classpath, and one {@link RedisConnectionFactory} (Spring Boot's, from
 * {@code spring.data.redis.*}), the registry's broadcasts that may travel reach the
 * connections of every instance. Enabled without a Redis connection factory of Lettuce's,
 * startup fails and says what to add. A {@link RedisClusterLink} bean of the
 * application's own replaces the link, a {@link ClusterLinkMeters} bean its meters (made
 * when the application has a {@link MeterRegistry}, and bound to it by Spring Boot's
 * metrics auto-configuration, as every {@code MeterBinder} bean).
 */
@AutoConfiguration(after = AutobahnWebSocketAutoConfiguration.class,
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnBooleanProperty("autobahn.websocket.cluster.redis.enabled")
@ConditionalOnBean(ConnectionRegistry.class)
public final class AutobahnWebSocketRedisClusterAutoConfiguration {

	private static final String REDIS_CONNECTION_FACTORY = "org.springframework.data.redis.connection.RedisConnectionFactory";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ RedisConnectionFactory.class, LettuceConnectionFactory.class })
	@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
	static class RedisLinkConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RedisClusterLink autobahnRedisClusterLink(RedisConnectionFactory connectionFactory, ConnectionRegistry registry,
				AutobahnWebSocketProperties properties) {
			if (!(connectionFactory instanceof LettuceConnectionFactory)) {
				throw new EndpointConfigurationException.ClusterLinkWithoutRedis(
						"the application's RedisConnectionFactory is a " + connectionFactory.getClass().getName()
								+ ", not Lettuce's, whose subscriptions do not block " + "the thread that makes them.");
			}
			AutobahnWebSocketProperties.Redis redis = properties.getCluster().getRedis();
			String instanceId = (redis.getInstanceId() != null) ? redis.getInstanceId() : UUID.randomUUID().toString();
			return new RedisClusterLink(connectionFactory, registry, instanceId, redis.getChannelPrefix(),
					redis.getHeartbeatInterval(), redis.getPublishBufferSizeLimit().toBytes());
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(MeterRegistry.class)
		@ConditionalOnBean(MeterRegistry.class)
		static class MetricsConfiguration {

			@Bean
			@ConditionalOnMissingBean
			// A MeterBinder bean: Spring Boot's metrics auto-configuration binds it to
			// the
			// registry; binding it here as well registered every meter twice (and logged
			// a WARN).
			ClusterLinkMeters autobahnClusterLinkMeters(RedisClusterLink link) {
				return new ClusterLinkMeters(link);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(type = REDIS_CONNECTION_FACTORY)
	static class NoRedisConfiguration {

		@Bean
		Object autobahnRedisClusterLinkWithoutRedis() {
			throw new EndpointConfigurationException.ClusterLinkWithoutRedis(
					"the application has no RedisConnectionFactory to link its instances through.");
		}

	}

}
