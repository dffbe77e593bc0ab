package io.autobahn.spring.websocket.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import io.autobahn.spring.websocket.client.ClientTransport;
import io.autobahn.spring.websocket.client.JdkClientTransport;
import io.autobahn.spring.websocket.reactive.ReactorNettyClientTransport;

/**
 * The client transports, imported by {@link AutobahnWebSocketClientAutoConfiguration} in
 * order of preference (imports keep their order; nested configurations of the
 * auto-configuration itself would not): the first whose conditions match makes the
 * {@link ClientTransport} bean.
 */
final class ClientTransportConfigurations {

	private ClientTransportConfigurations() {
	}

	/**
	 * Reactor Netty's client, where it is on the class path and the JDK's is not asked
	 * for.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "reactor.netty.http.client.HttpClient")
	@Conditional(OnReactorNettyClientTransportCondition.class)
	static class ReactorNetty {

		@Bean
		@ConditionalOnMissingBean
		ClientTransport autobahnReactorNettyClientTransport() {
			return new ReactorNettyClientTransport(null);
		}

	}

	/**
	 * The JDK's client otherwise; Reactor Netty asked for but missing fails startup.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Jdk {

		@Bean
		@ConditionalOnMissingBean
		ClientTransport autobahnJdkClientTransport(AutobahnWebSocketProperties properties) {
			if (properties.getClient().getTransport() == ClientProperties.Transport.REACTOR_NETTY) {
				throw new EndpointConfigurationException.ClientTransportMissing();
			}
			return new JdkClientTransport();
		}

	}

}
