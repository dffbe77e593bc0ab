package io.autobahn.spring.websocket.autoconfigure;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import io.autobahn.spring.websocket.server.DedicatedPortServerCustomizer;
import io.autobahn.spring.websocket.server.DedicatedPortServers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every {@link DedicatedPortServerCustomizer} bean is applied, in its order, to the
 * Reactor Netty server of each dedicated port, and what it configures is what binds: a
 * connection to the real port passes the customizer's channel initializer.
 */
class DedicatedPortServerCustomizerTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AutobahnWebSocketAutoConfiguration.class,
				AutobahnServletWebSocketAutoConfiguration.class, AutobahnDedicatedPortAutoConfiguration.class,
				SslAutoConfiguration.class))
		.withUserConfiguration(DedicatedPortAutoConfigurationTests.EchoEndpoint.class,
				DedicatedPortAutoConfigurationTests.ChatEndpoint.class, CustomizerConfiguration.class)
		.withPropertyValues("server.address=127.0.0.1", "autobahn.websocket.endpoints.echo.port=0",
				"autobahn.websocket.endpoints.chat.port=0");

	@Test
	void customizersAreAppliedInOrderToEachServerAndShapeWhatBinds() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			CustomizerConfiguration customizers = context.getBean(CustomizerConfiguration.class);
			assertThat(customizers.applied).containsExactly("first", "second");
			int port = context.getBean(DedicatedPortServers.class).getPort("echo");
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
				await("the customizer's channel initializer").atMost(Duration.ofSeconds(5))
					.pollInterval(Duration.ofMillis(10))
					.until(() -> customizers.connections.get() == 1);
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		final List<String> applied = new CopyOnWriteArrayList<>();

		final AtomicInteger connections = new AtomicInteger();

		@Bean
		@Order(2)
		DedicatedPortServerCustomizer second() {
			return (server) -> {
				this.applied.add("second");
				return server;
			};
		}

		@Bean
		@Order(1)
		DedicatedPortServerCustomizer first() {
			return (server) -> {
				this.applied.add("first");
				return server.doOnChannelInit((observer, channel, address) -> this.connections.incrementAndGet());
			};
		}

	}

}
