package io.autobahn.spring.websocket.autoconfigure;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.core.ServerEndpoints;
import io.autobahn.spring.websocket.server.DedicatedPortServer;
import io.autobahn.spring.websocket.server.DedicatedPortServerException;
import io.autobahn.spring.websocket.server.DedicatedPortServerInitializedEvent;
import io.autobahn.spring.websocket.server.DedicatedPortServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wiring of dedicated ports, one context per branch: the servers bean exists only
 * when an endpoint has a port, on servlet and reactive applications; the bound port is
 * published; endpoints on a dedicated port leave the main server's mapping; and every
 * misconfiguration (taken port, port out of range, ssl-bundle without port, two bundles
 * on one port, unknown bundle, Reactor Netty or WebFlux missing, no servers for dedicated
 * ports because their auto-configuration is excluded or was left out by ahead-of-time
 * processing) fails startup naming what to fix. The servers really bind, on 127.0.0.1.
 */
class DedicatedPortAutoConfigurationTests {

	private static final AutoConfigurations AUTO_CONFIGURATIONS = AutoConfigurations.of(
			AutobahnWebSocketAutoConfiguration.class, AutobahnServletWebSocketAutoConfiguration.class,
			AutobahnReactiveWebSocketAutoConfiguration.class, AutobahnDedicatedPortAutoConfiguration.class,
			SslAutoConfiguration.class);

	/**
	 * Where spring-webflux's classes are (spring-web, always present, has none there).
	 */
	private static final String WEBFLUX_PACKAGE = "org.springframework.web.reactive";

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AUTO_CONFIGURATIONS)
		.withUserConfiguration(EchoEndpoint.class, ChatEndpoint.class, EventRecorder.class)
		.withPropertyValues("server.address=127.0.0.1");

	private final WebApplicationContextRunner withoutDedicatedPortAutoConfiguration = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AutobahnWebSocketAutoConfiguration.class,
				AutobahnServletWebSocketAutoConfiguration.class))
		.withUserConfiguration(EchoEndpoint.class)
		.withPropertyValues("autobahn.websocket.endpoints.echo.port=0");

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
				.getBean(AutobahnServletWebSocketAutoConfiguration.HANDLER_MAPPING_BEAN_NAME,
						WebSocketHandlerMapping.class)
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
				assertThat(context
					.getBean(AutobahnReactiveWebSocketAutoConfiguration.HANDLER_MAPPING_BEAN_NAME,
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
				.run((context) -> assertThat(cause(context, DedicatedPortServerException.class)).satisfies((ex) -> {
					assertThat(ex.getMessage())
						.isEqualTo("Port " + port + " of WebSocket endpoint 'echo' is already in use");
					assertThat(ex.getPort()).isEqualTo(port);
					assertThat(ex.getEndpointNames()).containsExactly("echo");
				}));
		}
	}

	@Test
	void portOutOfRangeFailsStartup() {
		this.runner.withPropertyValues("autobahn.websocket.endpoints.echo.port=70000")
			.run((context) -> assertThat(fieldError(context)).satisfies((error) -> {
				assertThat(error.getObjectName()).isEqualTo("autobahn.websocket.endpoints.echo");
				assertThat(error.getField()).isEqualTo("port");
				assertThat(error.getRejectedValue()).isEqualTo(70000);
				assertThat(error.getDefaultMessage()).isEqualTo("must be between 0 and 65535");
			}));
	}

	@Test
	void sslBundleWithoutAPortFailsStartup() {
		this.runner.withPropertyValues("autobahn.websocket.endpoints.echo.ssl-bundle=ws-tls")
			.run((context) -> assertThat(fieldError(context)).satisfies((error) -> {
				assertThat(error.getObjectName()).isEqualTo("autobahn.websocket.endpoints.echo");
				assertThat(error.getField()).isEqualTo("sslBundle");
				assertThat(error.getDefaultMessage()).startsWith("needs a dedicated port")
					.contains("autobahn.websocket.endpoints.echo.port");
			}));
	}

	@Test
	void endpointsSharingAPortWithDifferentSslBundlesFailStartupNamingBoth() {
		this.runner.withPropertyValues("autobahn.websocket.endpoints.echo.port=9000",
				"autobahn.websocket.endpoints.echo.ssl-bundle=ws-tls", "autobahn.websocket.endpoints.chat.port=9000")
			.run((context) -> assertThat(cause(context, EndpointConfigurationException.SslBundleConflict.class))
				.satisfies((ex) -> {
					assertThat(ex.getPort()).isEqualTo(9000);
					assertThat(ex.getEndpointNames()).containsExactlyInAnyOrder("echo", "chat");
				}));
	}

	@Test
	void unknownSslBundleFailsStartup() {
		this.runner
			.withPropertyValues("autobahn.websocket.endpoints.echo.port=0",
					"autobahn.websocket.endpoints.echo.ssl-bundle=missing")
			.run((context) -> assertThat(cause(context, EndpointConfigurationException.UnknownSslBundle.class))
				.satisfies((ex) -> {
					assertThat(ex.getEndpointName()).isEqualTo("echo");
					assertThat(ex.getSslBundle()).isEqualTo("missing");
				}));
	}

	@Test
	void portWithoutReactorNettyFailsStartupNamingTheDependency() {
		this.runner.withClassLoader(new FilteredClassLoader(HttpServer.class))
			.withPropertyValues("autobahn.websocket.endpoints.echo.port=9000")
			.run((context) -> assertThat(missingArtifacts(context))
				.containsExactly("io.projectreactor.netty:reactor-netty-http"));
	}

	@Test
	void portWithoutWebFluxFailsStartupNamingTheDependency() {
		this.runner.withClassLoader(new FilteredClassLoader(WEBFLUX_PACKAGE))
			.withPropertyValues("autobahn.websocket.endpoints.echo.port=9000")
			.run((context) -> assertThat(missingArtifacts(context))
				.containsExactly("org.springframework:spring-webflux"));
	}

	@Test
	void portWithoutReactorNettyAndWebFluxFailsStartupNamingBoth() {
		this.runner.withClassLoader(new FilteredClassLoader(HttpServer.class.getPackageName(), WEBFLUX_PACKAGE))
			.withPropertyValues("autobahn.websocket.endpoints.echo.port=9000")
			.run((context) -> assertThat(missingArtifacts(context))
				.containsExactly("io.projectreactor.netty:reactor-netty-http", "org.springframework:spring-webflux"));
	}

	@Test
	void withoutAPortReactorNettyIsNotNeeded() {
		this.runner.withClassLoader(new FilteredClassLoader(HttpServer.class.getPackageName(), WEBFLUX_PACKAGE))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DedicatedPortServers.class));
	}

	@Test
	void portWithTheDedicatedPortAutoConfigurationExcludedFailsStartup() {
		this.withoutDedicatedPortAutoConfiguration.run((context) -> {
			EndpointConfigurationException.DedicatedPortNotServed failure = cause(context,
					EndpointConfigurationException.DedicatedPortNotServed.class);
			assertThat(failure.isAheadOfTime()).isFalse();
			assertThat(failure).hasMessageStartingWith("WebSocket endpoint 'echo' has a dedicated port (0)")
				.hasMessageContaining("AutobahnDedicatedPortAutoConfiguration is excluded");
			assertThat(failure.getPropertyPrefix()).isEqualTo("autobahn.websocket.endpoints.echo");
		});
	}

	@Test
	void portGivenOnlyAtRunTimeToAnApplicationProcessedAheadOfTimeWithoutOneFailsStartup() {
		// Processed ahead of time without a port, the application has no dedicated port
		// configuration at all: its condition was evaluated at build time.
		this.withoutDedicatedPortAutoConfiguration.withSystemProperties("spring.aot.enabled=true").run((context) -> {
			EndpointConfigurationException.DedicatedPortNotServed failure = cause(context,
					EndpointConfigurationException.DedicatedPortNotServed.class);
			assertThat(failure.isAheadOfTime()).isTrue();
			assertThat(failure).hasMessageContaining("processed ahead of time");
			assertThat(failure.getAction()).startsWith(
					"Set autobahn.websocket.endpoints.echo.port in the configuration that ahead-of-time processing "
							+ "reads at build time");
		});
	}

	private static DedicatedPortServer singleServer(ApplicationContext context) {
		List<DedicatedPortServer> servers = context.getBean(DedicatedPortServers.class).getServers();
		assertThat(servers).hasSize(1);
		return servers.get(0);
	}

	private static List<String> missingArtifacts(ApplicationContextAssertProvider<?> context) {
		return cause(context, EndpointConfigurationException.DedicatedPortDependencyMissing.class)
			.getMissingArtifacts();
	}

	private static FieldError fieldError(ApplicationContextAssertProvider<?> context) {
		List<ObjectError> errors = cause(context, BindValidationException.class).getValidationErrors().getAllErrors();
		assertThat(errors).singleElement().isInstanceOf(FieldError.class);
		return (FieldError) errors.get(0);
	}

	private static <T extends Throwable> T cause(ApplicationContextAssertProvider<?> context, Class<T> type) {
		assertThat(context).hasFailed();
		for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
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
