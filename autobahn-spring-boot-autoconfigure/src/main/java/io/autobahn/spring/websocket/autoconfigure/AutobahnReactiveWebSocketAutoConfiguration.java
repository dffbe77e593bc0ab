package io.autobahn.spring.websocket.autoconfigure;

import reactor.netty.http.server.HttpServerResponse;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;

import io.autobahn.spring.websocket.core.ServerEndpoints;
import io.autobahn.spring.websocket.reactive.BriefHttpMessageLogFactory;
import io.autobahn.spring.websocket.reactive.ReactiveEndpointMappings;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that serves the endpoints on the
 * reactive stack (Spring WebFlux on Reactor Netty), each on its path of the application's
 * server. The same {@code @WebSocketEndpoint} classes as on the servlet stack, unchanged.
 * With Spring Boot's Reactor Netty server, a {@link NettyServerCustomizer} shortens the
 * WARN line Reactor Netty logs for each request it cannot decode to the request line.
 */
@AutoConfiguration(after = AutobahnWebSocketAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ HandshakeWebSocketService.class, HttpServerResponse.class })
@ConditionalOnBean(ServerEndpoints.class)
public final class AutobahnReactiveWebSocketAutoConfiguration {

	/** Name of the handler mapping bean that maps endpoint paths. */
	public static final String HANDLER_MAPPING_BEAN_NAME = "autobahnReactiveWebSocketHandlerMapping";

	@Bean(name = HANDLER_MAPPING_BEAN_NAME)
	@ConditionalOnMissingBean(name = HANDLER_MAPPING_BEAN_NAME)
	SimpleUrlHandlerMapping autobahnReactiveWebSocketHandlerMapping(ServerEndpoints endpoints,
			Environment environment) {
		UnsupportedSettingsWarner.warn(UnsupportedSettingsWarner.Stack.REACTOR_NETTY, endpoints, environment);
		return ReactiveEndpointMappings.create(endpoints);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(NettyServerCustomizer.class)
	static class NettyServerConfiguration {

		/**
		 * Name of the customizer that shortens what Reactor Netty logs about undecodable
		 * requests.
		 */
		static final String SERVER_CUSTOMIZER_BEAN_NAME = "autobahnNettyServerCustomizer";

		/**
		 * First, so that a customizer of the application's own may set another log
		 * factory.
		 */
		@Bean(name = SERVER_CUSTOMIZER_BEAN_NAME)
		@ConditionalOnMissingBean(name = SERVER_CUSTOMIZER_BEAN_NAME)
		@Order(Ordered.HIGHEST_PRECEDENCE)
		NettyServerCustomizer autobahnNettyServerCustomizer() {
			return (server) -> server.httpMessageLogFactory(BriefHttpMessageLogFactory.INSTANCE);
		}

	}

}
