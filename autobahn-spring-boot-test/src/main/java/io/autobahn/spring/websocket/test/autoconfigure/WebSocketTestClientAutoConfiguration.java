package io.autobahn.spring.websocket.test.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import io.autobahn.spring.websocket.test.WebSocketTestClient;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of a {@link WebSocketTestClient} for
 * the application under test, imported by {@link AutoConfigureWebSocketTestClient}; the
 * client reads the application's ports when it connects. Replaceable by a bean of the
 * same type.
 */
@AutoConfiguration
public final class WebSocketTestClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WebSocketTestClient webSocketTestClient(ApplicationContext context) {
		return WebSocketTestClient.create(context);
	}

}
