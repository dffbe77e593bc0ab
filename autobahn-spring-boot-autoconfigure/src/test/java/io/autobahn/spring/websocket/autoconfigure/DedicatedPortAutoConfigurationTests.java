package io.autobahn.spring.websocket.autoconfigure;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.core.ServerEndpoints;
import io.autobahn.spring.websocket.reactive.server.DedicatedPortServer;
import io.autobahn.spring.websocket.reactive.server.DedicatedPortServerException;
import io.autobahn.spring.websocket.reactive.server.DedicatedPortServerInitializedEvent;
import io.autobahn.spring.websocket.reactive.server.DedicatedPortServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wiring of dedicated ports, one context per branch: the servers bean exists only when
 * an endpoint has a port, on servlet and reactive applications; the bound port is
 * published; endpoints on a dedicated port leave the main server's mapping; and every
 * misconfiguration (taken port, port out of range, ssl-bundle without port, two bundles on
 * one port, unknown bundle, Reactor Netty or WebFlux missing) fails startup naming what to
 * fix. The servers really bind, on 127.0.0.1.
 */
class DedicatedPortAutoConfigurationTests {

	private static final AutoConfigurations AUTO_CONFIGURATIONS = AutoConfigurations.of(
			AutobahnWebSocketAutoConfiguration.class, AutobahnServletWebSocketAutoConfiguration.class,
			AutobahnReactiveWebSocketAutoConfiguration.class, AutobahnDedicatedPortAutoConfiguration.class,
			SslAutoConfiguration.class);

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AUTO_CONFIGURATIONS)
		.withUserConfiguration(EchoEndpoint.class, ChatEndpoint.class, EventRecorder.class)
		.withPropertyValues("server.address=127.0.0.1");

	@Test
	void withoutAPortThereIsNoDedicatedPortServersBean() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(ServerEndpoints.class)
			.doesNotHaveBean(DedicatedPortServers.class));
	}

	@Test
	void endpointWithPortZeroListensOnAFreePortThatIsPublishedAsPropertyAndEvent() {
		this.runner.withPropertyValues("autobahn.websocket.endpoints.echo.port=0").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(DedicatedPortServers.class);
			DedicatedPortServer server = singleServer(context);
			assertThat(server.isRunning()).isTrue();
			assertThat(server.getEndpointNames()).containsExactly("echo");
			assertThat(server.getPort()).isPositive();
			assertThat(context.getEnvironment().getProperty("local.autobahn.websocket.echo.port", Integer.class))
				.isEqualTo(server.getPort());
			assertThat(context.getBean(DedicatedPortServers.class).getPort("echo")).isEqualTo(server.getPort());
			assertThat(context.getBean(EventRecorder.class).events).singleElement()
				.satisfies((event) -> assertThat(event.getServer()).isSameAs(server));
		});
	}

	@Test
	void endpointOnADedicatedPortIsLeftOutOfTheMainServersMapping() {
		this.runner.withPropertyValues("autobahn.websocket.endpoints.echo.port=0")
			.run((context) -> assertThat(context
				.getBean(AutobahnServletWebSocketAutoConfiguration.HANDLER_MAPPING_BEAN_NAME, WebSocketHandlerMapping.class)
				.getHandlerMap()).containsOnlyKeys("/chat"));
	}

	@Test
	void endpointsGivingTheSamePortShareOneServer() {
		this.runner
			.withPropertyValues("autobahn.websocket.endpoints.echo.port=0", "autobahn.websocket.endpoints.chat.port=0")
			.run((context) -> {
				DedicatedPortServer server = singleServer(context);
				assertThat(server.getEndpointNames()).containsExactlyInAnyOrder("echo", "chat");
				assertThat(context.getEnvironment().getProperty("local.autobahn.websocket.chat.port", Integer.class))
					.isEqualTo(server.getPort());
			});
	}

	@Test
	void reactiveAppGetsTheServersAndLeavesTheEndpointOutOfItsMapping() {
		new ReactiveWebApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.withUserConfiguration(EchoEndpoint.class, ChatEndpoint.class)
			.withPropertyValues("server.address=127.0.0.1", "autobahn.websocket.endpoints.echo.port=0")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(singleServer(context).isRunning()).isTrue();
				assertThat(context.getBean(AutobahnReactiveWebSocketAutoConfiguration.HANDLER_MAPPING_BEAN_NAME,
						SimpleUrlHandlerMapping.class)
					.getUrlMap()).containsOnlyKeys("/chat");
			});
	}

	@Test
	void nonWebAppGetsNoServers() {
		new ApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.withUserConfiguration(EchoEndpoint.class)
			.withPropertyValues("autobahn.websocket.endpoints.echo.port=0")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DedicatedPortServers.class));
	}

	@Test
	void userDedicatedPortServersBeanReplacesTheDefault() {
		this.runner.withUserConfiguration(UserServersConfiguration.class)
			.withPropertyValues("autobahn.websocket.endpoints.echo.port=0")
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(DedicatedPortServers.class)
				.isSameAs(context.getBean("userServers")));
	}

	@Test
	void takenPortFailsStartupNamingTheEndpointAndThePort() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			int port = taken.getLocalPort();
			this.runner.withPropertyValues("autobahn.websocket.endpoints.echo.port=" + port)
				.run((context) -> assertThat(causeMessage(context, DedicatedPortServerException.class))
					.isEqualTo("Port " + port + " of WebSocket endpoint 'echo' is already in use"));
		}
	}

	@Test
	void portOutOfRangeFailsStartup() {
		this.runner.withPropertyValues("autobahn.websocket.endpoints.echo.port=70000")
			.run((context) -> assertThat(rootCauseMessage(context)).contains("'echo'")
				.contains("port must be between 0 and 65535, got 70000"));
	}

	@Test
	void sslBundleWithoutAPortFailsStartup() {
		this.runner.withPropertyValues("autobahn.websocket.endpoints.echo.ssl-bundle=ws-tls")
			.run((context) -> assertThat(rootCauseMessage(context)).contains("'echo'")
				.contains("ssl-bundle 'ws-tls' needs a dedicated port")
				.contains("autobahn.websocket.endpoints.echo.port"));
	}

	@Test
	void endpointsSharingAPortWithDifferentSslBundlesFailStartupNamingBoth() {
		this.runner
			.withPropertyValues("autobahn.websocket.endpoints.echo.port=9000",
					"autobahn.websocket.endpoints.echo.ssl-bundle=ws-tls", "autobahn.websocket.endpoints.chat.port=9000")
			.run((context) -> assertThat(rootCauseMessage(context)).contains("'echo'")
				.contains("'chat'")
				.contains("share port 9000 but not its ssl-bundle"));
	}

	@Test
	void unknownSslBundleFailsStartup() {
		this.runner
			.withPropertyValues("autobahn.websocket.endpoints.echo.port=0",
					"autobahn.websocket.endpoints.echo.ssl-bundle=missing")
			.run((context) -> assertThat(rootCauseMessage(context)).contains("'missing'"));
	}

	@Test
	void portWithoutReactorNettyFailsStartupNamingTheDependency() {
		this.runner.withClassLoader(new FilteredClassLoader(HttpServer.class))
			.withPropertyValues("autobahn.websocket.endpoints.echo.port=9000")
			.run((context) -> assertThat(rootCauseMessage(context)).contains("'echo'")
				.contains("io.projectreactor.netty:reactor-netty-http")
				.doesNotContain("spring-webflux"));
	}

	@Test
	void portWithoutWebFluxFailsStartupNamingTheDependency() {
		this.runner.withClassLoader(new FilteredClassLoader(WebHttpHandlerBuilder.class))
			.withPropertyValues("autobahn.websocket.endpoints.echo.port=9000")
			.run((context) -> assertThat(rootCauseMessage(context)).contains("'echo'")
				.contains("org.springframework:spring-webflux"));
	}

	@Test
	void withoutAPortReactorNettyIsNotNeeded() {
		this.runner.withClassLoader(new FilteredClassLoader(HttpServer.class, WebHttpHandlerBuilder.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DedicatedPortServers.class));
	}

	private static DedicatedPortServer singleServer(ApplicationContext context) {
		List<DedicatedPortServer> servers = context.getBean(DedicatedPortServers.class).getServers();
		assertThat(servers).hasSize(1);
		return servers.get(0);
	}

	private static String rootCauseMessage(ApplicationContextAssertProvider<?> context) {
		assertThat(context).hasFailed();
		return String.valueOf(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()).getMessage());
	}

	private static String causeMessage(ApplicationContextAssertProvider<?> context, Class<? extends Throwable> type) {
		assertThat(context).hasFailed();
		for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return cause.getMessage();
			}
		}
		throw new AssertionError("No " + type.getSimpleName() + " in " + context.getStartupFailure());
	}

	@WebSocketEndpoint(path = "/echo", name = "echo")
	static class EchoEndpoint extends WebSocketServerProtocol {

	}

	@WebSocketEndpoint(path = "/chat", name = "chat")
	static class ChatEndpoint extends WebSocketServerProtocol {

	}

	static class EventRecorder implements ApplicationListener<DedicatedPortServerInitializedEvent> {

		final List<DedicatedPortServerInitializedEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(DedicatedPortServerInitializedEvent event) {
			this.events.add(event);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserServersConfiguration {

		@Bean
		DedicatedPortServers userServers(Environment environment, ApplicationContext context) {
			return new DedicatedPortServers(List.of(), environment, context);
		}

	}

}
