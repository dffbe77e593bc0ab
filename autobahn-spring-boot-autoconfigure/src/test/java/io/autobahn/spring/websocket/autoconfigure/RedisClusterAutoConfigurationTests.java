package io.autobahn.spring.websocket.autoconfigure;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.autobahn.spring.websocket.cluster.ClusterLinkMeters;
import io.autobahn.spring.websocket.cluster.RedisClusterLink;
import io.autobahn.spring.websocket.core.BroadcastRelay;
import io.autobahn.spring.websocket.core.ConnectionRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The Redis cluster link's auto-configuration: off by default, on with
 * {@code autobahn.websocket.cluster.redis.enabled} and a Redis connection factory, the
 * registry's relay while it runs, its meters with a meter registry, each bean
 * replaceable, absent without Spring Data Redis, and its properties bound and checked. No
 * Redis runs here: the link only tries to reach one on a port where none listens.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisClusterAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AutobahnWebSocketAutoConfiguration.class,
				DataRedisAutoConfiguration.class, AutobahnWebSocketRedisClusterAutoConfiguration.class))
		// A port where no Redis listens: the link stays down and retries.
		.withPropertyValues("spring.data.redis.port=1");

	@Test
	void noLinkByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(RedisClusterLink.class);
			assertThat(context.getBean(ConnectionRegistry.class).getBroadcastRelay()).isSameAs(BroadcastRelay.NONE);
		});
	}

	@Test
	void enabledTheLinkIsTheRegistrysRelayWithItsProperties() {
		this.runner
			.withPropertyValues("autobahn.websocket.cluster.redis.enabled=true",
					"autobahn.websocket.cluster.redis.instance-id=alpha",
					"autobahn.websocket.cluster.redis.heartbeat-interval=1h")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(RedisClusterLink.class);
				RedisClusterLink link = context.getBean(RedisClusterLink.class);
				assertThat(link.getInstanceId()).isEqualTo("alpha");
				assertThat(link.isRunning()).isTrue();
				assertThat(link.isLinkUp()).isFalse();
				assertThat(context.getBean(ConnectionRegistry.class).getBroadcastRelay()).isSameAs(link);
				assertThat(context).doesNotHaveBean(ClusterLinkMeters.class);
			});
	}

	@Test
	void withoutAnInstanceIdEachStartHasARandomOne() {
		this.runner.withPropertyValues("autobahn.websocket.cluster.redis.enabled=true").run((first) -> {
			this.runner.withPropertyValues("autobahn.websocket.cluster.redis.enabled=true").run((second) -> {
				assertThat(first.getBean(RedisClusterLink.class).getInstanceId())
					.isNotEqualTo(second.getBean(RedisClusterLink.class).getInstanceId());
			});
		});
	}

	@Test
	void stoppedTheLinkIsNoLongerTheRelay() {
		this.runner.withPropertyValues("autobahn.websocket.cluster.redis.enabled=true").run((context) -> {
			RedisClusterLink link = context.getBean(RedisClusterLink.class);
			link.stop();
			assertThat(context.getBean(ConnectionRegistry.class).getBroadcastRelay()).isSameAs(BroadcastRelay.NONE);
		});
	}

	@Test
	void metersWithAMeterRegistryEachRegisteredOnce(CapturedOutput output) {
		this.runner.withPropertyValues("autobahn.websocket.cluster.redis.enabled=true")
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
			.withUserConfiguration(MeterRegistryConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(ClusterLinkMeters.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("autobahn.websocket.cluster.link.up").gauge().value()).isZero();
				assertThat(registry.get("autobahn.websocket.cluster.published").functionCounter().count()).isZero();
				assertThat(registry.get("autobahn.websocket.cluster.received").functionCounter()).isNotNull();
				assertThat(registry.get("autobahn.websocket.cluster.publish.failures").functionCounter()).isNotNull();
				assertThat(registry.get("autobahn.websocket.cluster.received.missed").functionCounter()).isNotNull();
				assertThat(registry.get("autobahn.websocket.cluster.received.invalid").functionCounter()).isNotNull();
				assertThat(registry.get("autobahn.websocket.cluster.instances").gauge().value()).isEqualTo(1);
				// Bound by Spring Boot's metrics auto-configuration only: Micrometer says
				// so (once per JVM) when a meter
				// is registered twice.
				assertThat(output).doesNotContain("has been already registered");
			});
	}

	@Test
	void theApplicationsLinkReplacesTheStartersOne() {
		this.runner.withPropertyValues("autobahn.websocket.cluster.redis.enabled=true")
			.withUserConfiguration(UserLinkConfiguration.class)
			.run((context) -> assertThat(context).getBean(RedisClusterLink.class)
				.isSameAs(context.getBean("userLink")));
	}

	@Test
	void enabledWithoutSpringDataRedisFailsStartupSayingWhatToAdd() {
		this.runner.withPropertyValues("autobahn.websocket.cluster.redis.enabled=true")
			.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(EndpointConfigurationException.ClusterLinkWithoutRedis.class)
				.hasMessageContaining("no RedisConnectionFactory"));
	}

	@Test
	void withoutSpringDataRedisAndNotEnabledNothingHappens() {
		this.runner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisClusterLink.class));
	}

	@Test
	void enabledWithAConnectionFactoryThatIsNotLettucesFailsStartup() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AutobahnWebSocketAutoConfiguration.class,
					AutobahnWebSocketRedisClusterAutoConfiguration.class))
			.withPropertyValues("autobahn.websocket.cluster.redis.enabled=true")
			.withBean(RedisConnectionFactory.class, () -> mock(RedisConnectionFactory.class))
			.run((context) -> {
				assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.isInstanceOf(EndpointConfigurationException.ClusterLinkWithoutRedis.class)
					.hasMessageContaining("not Lettuce's");
				EndpointConfigurationException failure = (EndpointConfigurationException) context.getStartupFailure()
					.getCause()
					.getCause();
				assertThat(failure.getAction()).contains("spring-boot-starter-data-redis");
			});
	}

	@Test
	void aHeartbeatIntervalThatIsNotPositiveFailsStartup() {
		this.runner
			.withPropertyValues("autobahn.websocket.cluster.redis.enabled=true",
					"autobahn.websocket.cluster.redis.heartbeat-interval=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("autobahn.websocket.cluster.redis")
				.hasMessageContaining("heartbeatInterval"));
	}

	@Configuration(proxyBeanMethods = false)
	static class MeterRegistryConfiguration {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserLinkConfiguration {

		@Bean
		RedisClusterLink userLink(RedisConnectionFactory connectionFactory, ConnectionRegistry registry) {
			return new RedisClusterLink(connectionFactory, registry, "mine", "mine:", Duration.ofHours(1), 1024);
		}

	}

}
