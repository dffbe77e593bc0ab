package io.autobahn.spring.websocket.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.actuate.EndpointLocator;
import io.autobahn.spring.websocket.actuate.WebSocketActuatorEndpoint;
import io.autobahn.spring.websocket.core.EndpointObserver;
import io.autobahn.spring.websocket.core.EndpointObservers;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.core.ServerEndpoints;
import io.autobahn.spring.websocket.metrics.MicrometerEndpointObservers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters and the Actuator endpoint are there only where their libraries are
 * (Micrometer with a {@code MeterRegistry}; Spring Boot's Actuator with the endpoint
 * exposed) and yield to the application's own beans, one context per branch, with Spring
 * Boot's own metrics and endpoint auto-configurations as an application with
 * {@code spring-boot-starter-actuator} has them.
 */
class ObservabilityAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AutobahnWebSocketAutoConfiguration.class,
				AutobahnServletWebSocketAutoConfiguration.class, AutobahnWebSocketMetricsAutoConfiguration.class,
				AutobahnWebSocketActuatorAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class))
		.withUserConfiguration(EchoEndpoint.class);

	@Test
	void withAMeterRegistryEachEndpointHasItsMetersTaggedByNameAndSide() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(EndpointObservers.class);
			assertThat(context.getBean(EndpointObservers.class)).isInstanceOf(MicrometerEndpointObservers.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("autobahn.websocket.connections.open")
				.tags("endpoint", "echo", "side", "server")
				.gauge()
				.value()).isZero();
			assertThat(registry.get("autobahn.websocket.messages.received").tags("endpoint", "echo").counters())
				.hasSize(2);
			assertThat(endpoint(context.getBean(ServerEndpoints.class)).getObserver().timesMessageHandling()).isTrue();
		});
	}

	@Test
	void aDisabledOnMessageTimerReadsNoClock() {
		this.runner.withPropertyValues("management.metrics.enable.autobahn.websocket.onmessage=false")
			.run((context) -> {
				assertThat(context.getBean(MeterRegistry.class).find("autobahn.websocket.onmessage").timer()).isNull();
				assertThat(endpoint(context.getBean(ServerEndpoints.class)).getObserver().timesMessageHandling())
					.isFalse();
			});
	}

	@Test
	void withoutMicrometerThereAreNoMetersAndEndpointsObserveNothing() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AutobahnWebSocketAutoConfiguration.class,
					AutobahnWebSocketMetricsAutoConfiguration.class))
			.withUserConfiguration(EchoEndpoint.class, UserMeterRegistryConfiguration.class)
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(EndpointObservers.class);
				assertThat(endpoint(context.getBean(ServerEndpoints.class)).getObserver())
					.isSameAs(EndpointObserver.NONE);
			});
	}

	@Test
	void withoutAMeterRegistryThereAreNoMeters() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AutobahnWebSocketAutoConfiguration.class,
					AutobahnWebSocketMetricsAutoConfiguration.class))
			.withUserConfiguration(EchoEndpoint.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(EndpointObservers.class);
				assertThat(endpoint(context.getBean(ServerEndpoints.class)).getObserver())
					.isSameAs(EndpointObserver.NONE);
			});
	}

	@Test
	void anApplicationsObserversReplaceTheMeters() {
		this.runner.withUserConfiguration(UserObserversConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(EndpointObservers.class);
			assertThat(endpoint(context.getBean(ServerEndpoints.class)).getObserver())
				.isSameAs(UserObserversConfiguration.OBSERVER);
			assertThat(context.getBean(MeterRegistry.class).find("autobahn.websocket.connections.open").gauge())
				.isNull();
		});
	}

	@Test
	void theActuatorEndpointIsThereOnceExposed() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=websocket")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(WebSocketActuatorEndpoint.class));
	}

	@Test
	void theActuatorEndpointIsNotThereUnexposedAsAnyActuatorEndpoint() {
		this.runner
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(WebSocketActuatorEndpoint.class));
	}

	@Test
	void theActuatorEndpointIsNotThereWithItsAccessNone() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=websocket",
					"management.endpoint.websocket.access=NONE")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(WebSocketActuatorEndpoint.class));
	}

	@Test
	void withoutActuatorThereIsNoActuatorEndpoint() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=websocket")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(WebSocketActuatorEndpoint.class));
	}

	@Test
	void anApplicationsActuatorEndpointReplacesTheStartersOwn() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=websocket")
			.withUserConfiguration(UserActuatorEndpointConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(WebSocketActuatorEndpoint.class)
				.isSameAs(context.getBean("userWebSocketActuatorEndpoint")));
	}

	@Test
	void theActuatorEndpointListsEachEndpointWithItsEffectiveSettings() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=websocket",
					"autobahn.websocket.endpoints.echo.trust-x-forwarded-for=1",
					"autobahn.websocket.endpoints.echo.max-connections=10")
			.run((context) -> {
				WebSocketActuatorEndpoint.WebSocketEndpointsDescriptor described = context
					.getBean(WebSocketActuatorEndpoint.class)
					.endpoints();
				assertThat(described.endpoints()).containsOnlyKeys("echo");
				WebSocketActuatorEndpoint.EndpointDescriptor echo = described.endpoints().get("echo");
				assertThat(echo.path()).isEqualTo("/echo");
				assertThat(echo.side()).isEqualTo("server");
				assertThat(echo.connections()).isZero();
				assertThat(echo.dedicatedPort()).isFalse();
				assertThat(echo.wss()).isFalse();
				assertThat(echo.settings()).containsEntry("trust-x-forwarded-for", 1)
					.containsEntry("max-connections", 10L)
					.containsEntry("max-message-payload-size", 1024L * 1024)
					.containsEntry("send-time-limit", "PT10S")
					.doesNotContainKey("auto-ping-interval");
				assertThat(context.getBean(WebSocketActuatorEndpoint.class).endpoint("nope", null, null)).isNull();
			});
	}

	private static ServerEndpoint endpoint(ServerEndpoints endpoints) {
		return endpoints.endpoints().get(0);
	}

	@WebSocketEndpoint(path = "/echo", name = "echo")
	static class EchoEndpoint extends WebSocketServerProtocol {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserMeterRegistryConfiguration {

		@Bean
		SimpleMeterRegistry userMeterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserObserversConfiguration {

		static final EndpointObserver OBSERVER = new EndpointObserver() {
		};

		@Bean
		EndpointObservers userObservers() {
			return (endpoint, side) -> OBSERVER;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserActuatorEndpointConfiguration {

		@Bean
		WebSocketActuatorEndpoint userWebSocketActuatorEndpoint(ServerEndpoints endpoints) {
			return new WebSocketActuatorEndpoint(endpoints,
					(endpoint) -> new EndpointLocator.Location(null, null, "test", false));
		}

	}

}
