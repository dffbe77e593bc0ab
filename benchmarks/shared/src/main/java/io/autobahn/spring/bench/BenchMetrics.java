package io.autobahn.spring.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The metered servers (profile {@code metered}, with {@code starter}): a
 * {@link SimpleMeterRegistry}, which switches the starter's {@code autobahn.websocket.*}
 * meters on, as an application with Spring Boot's Actuator has them; the benchmark compares
 * these servers with the unmetered starter to measure what the meters cost.
 */
@Profile("metered")
@Configuration(proxyBeanMethods = false)
public class BenchMetrics {

	@Bean
	SimpleMeterRegistry benchMeterRegistry() {
		return new SimpleMeterRegistry();
	}

}
