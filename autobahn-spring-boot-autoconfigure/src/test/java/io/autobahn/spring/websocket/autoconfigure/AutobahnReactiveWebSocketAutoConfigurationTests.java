package io.autobahn.spring.websocket.autoconfigure;

import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.ReflectionTestUtils;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.reactive.BriefHttpMessageLogFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive auto-configuration's customizer of Spring Boot's Reactor Netty server: it
 * sets the short description of undecodable requests, yields to a bean of the same name,
 * and is absent without Spring Boot's Reactor Netty module.
 */
class AutobahnReactiveWebSocketAutoConfigurationTests {

	private static final String CUSTOMIZER = "autobahnNettyServerCustomizer";

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AutobahnWebSocketAutoConfiguration.class,
				AutobahnReactiveWebSocketAutoConfiguration.class))
		.withUserConfiguration(EchoEndpoint.class);

	@Test
	void customizerMakesReactorNettyDescribeUndecodableRequestsBriefly() {
		this.runner.run((context) -> {
			NettyServerCustomizer customizer = context.getBean(CUSTOMIZER, NettyServerCustomizer.class);
			// HttpServerConfig has no getter for it.
			assertThat(ReflectionTestUtils.getField(customizer.apply(HttpServer.create()).configuration(),
					"httpMessageLogFactory"))
				.isSameAs(BriefHttpMessageLogFactory.INSTANCE);
		});
	}

	@Test
	void customizerYieldsToTheApplicationsBeanOfTheSameName() {
		this.runner.withUserConfiguration(UserCustomizerConfiguration.class).run((context) -> {
			NettyServerCustomizer customizer = context.getBean(CUSTOMIZER, NettyServerCustomizer.class);
			assertThat(customizer).isSameAs(UserCustomizerConfiguration.CUSTOMIZER);
		});
	}

	@Test
	void noCustomizerWithoutSpringBootsReactorNettyModule() {
		this.runner.withClassLoader(new FilteredClassLoader(NettyServerCustomizer.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CUSTOMIZER));
	}

	@WebSocketEndpoint(path = "/echo", name = "echo")
	static class EchoEndpoint extends WebSocketServerProtocol {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCustomizerConfiguration {

		static final NettyServerCustomizer CUSTOMIZER = (server) -> server;

		@Bean
		NettyServerCustomizer autobahnNettyServerCustomizer() {
			return CUSTOMIZER;
		}

	}

}
