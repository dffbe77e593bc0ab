package io.autobahn.spring.websocket.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.autobahn.spring.websocket.core.EndpointObservers;
import io.autobahn.spring.websocket.metrics.MicrometerEndpointObservers;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the endpoints' Micrometer meters
 * ({@code autobahn.websocket.*}), when Micrometer is on the classpath and the application
 * has a {@link MeterRegistry} (Spring Boot's, with {@code spring-boot-starter-actuator}).
 * In any application, not only a web one: the connections of its WebSocket clients are
 * metered too ({@code side=client}). An {@link EndpointObservers} bean of the
 * application's own replaces the meters.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class AutobahnWebSocketMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EndpointObservers autobahnEndpointObservers(MeterRegistry registry) {
		return new MicrometerEndpointObservers(registry);
	}

}
