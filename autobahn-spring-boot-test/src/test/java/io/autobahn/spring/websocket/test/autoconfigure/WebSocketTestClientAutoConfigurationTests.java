package io.autobahn.spring.websocket.test.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.autobahn.spring.websocket.test.WebSocketTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WebSocketTestClientAutoConfiguration} adds one {@link WebSocketTestClient} for
 * the context, and backs off for one of the application's own.
 */
class WebSocketTestClientAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebSocketTestClientAutoConfiguration.class));

	@Test
	void shouldAddAWebSocketTestClient() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(WebSocketTestClient.class));
	}

	@Test
	void shouldBackOffForTheApplicationsOwnClient() {
		this.runner.withUserConfiguration(OwnClient.class)
			.run((context) -> assertThat(context).getBean(WebSocketTestClient.class)
				.isSameAs(context.getBean(OwnClient.class).client));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnClient {

		final WebSocketTestClient client = WebSocketTestClient.create();

		@Bean
		WebSocketTestClient ownClient() {
			return this.client;
		}

	}

}
