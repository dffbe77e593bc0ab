package io.autobahn.spring.websocket.autoconfigure;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import io.autobahn.spring.websocket.ReconnectPolicy;
import io.autobahn.spring.websocket.ReconnectingConnection;
import io.autobahn.spring.websocket.WebSocketClient;
import io.autobahn.spring.websocket.WebSocketClientOptions;
import io.autobahn.spring.websocket.WebSocketClientProtocol;
import io.autobahn.spring.websocket.WebSocketConnector;
import io.autobahn.spring.websocket.client.ClientTransport;
import io.autobahn.spring.websocket.client.DefaultWebSocketConnector;
import io.autobahn.spring.websocket.client.JdkClientTransport;
import io.autobahn.spring.websocket.core.ConnectionRegistry;
import io.autobahn.spring.websocket.core.EndpointObservers;
import io.autobahn.spring.websocket.metrics.MicrometerEndpointObservers;
import io.autobahn.spring.websocket.reactive.ReactorNettyClientTransport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AutobahnWebSocketClientAutoConfiguration} in an application that is
 * not a web application: the connector and the transport it picks (Reactor Netty where it
 * is on the class path, else the JDK's, or the one the property names), the default
 * options and reconnect policy from {@code autobahn.websocket.client.*}, the meters'
 * observers (with a {@code MeterRegistry}), beans of client protocol classes made
 * prototypes, and every bean replaceable.
 */
class AutobahnWebSocketClientAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AutobahnWebSocketClientAutoConfiguration.class));

	@Test
	void connectsWithReactorNettyWhereItIsOnTheClassPath() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(WebSocketConnector.class)
				.hasSingleBean(ConnectionRegistry.class)
				.getBean(WebSocketConnector.class)
				.isInstanceOf(DefaultWebSocketConnector.class);
			assertThat(context).getBean(ClientTransport.class).isInstanceOf(ReactorNettyClientTransport.class);
		});
	}

	@Test
	void connectsWithTheJdksClientWithoutReactorNetty() {
		this.runner.withClassLoader(new FilteredClassLoader("reactor.netty"))
			.run((context) -> assertThat(context).getBean(ClientTransport.class)
				.isInstanceOf(JdkClientTransport.class));
	}

	@Test
	void connectsWithTheTransportThePropertyNames() {
		this.runner.withPropertyValues("autobahn.websocket.client.transport=jdk")
			.run((context) -> assertThat(context).getBean(ClientTransport.class)
				.isInstanceOf(JdkClientTransport.class));
		this.runner.withPropertyValues("autobahn.websocket.client.transport=reactor-netty")
			.run((context) -> assertThat(context).getBean(ClientTransport.class)
				.isInstanceOf(ReactorNettyClientTransport.class));
	}

	@Test
	void reactorNettyAskedForButMissingFailsStartupAndSaysWhatToAdd() {
		this.runner.withClassLoader(new FilteredClassLoader("reactor.netty"))
			.withPropertyValues("autobahn.websocket.client.transport=reactor-netty")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(EndpointConfigurationException.ClientTransportMissing.class)
				.hasMessageContaining("io.projectreactor.netty:reactor-netty-http"));
	}

	@Test
	void defaultOptionsAndReconnectPolicyComeFromTheProperties() {
		this.runner.withPropertyValues("autobahn.websocket.client.origin=https://app.example.com",
				"autobahn.websocket.client.subprotocols=v2,v1",
				"autobahn.websocket.client.headers.Authorization=Bearer t",
				"autobahn.websocket.client.per-message-deflate=false",
				"autobahn.websocket.client.open-handshake-timeout=3s",
				"autobahn.websocket.client.close-handshake-timeout=2s",
				"autobahn.websocket.client.auto-ping-interval=20s", "autobahn.websocket.client.auto-ping-timeout=5s",
				"autobahn.websocket.client.max-message-payload-size=64KB",
				"autobahn.websocket.client.proxy.host=proxy.example.com", "autobahn.websocket.client.proxy.port=3128",
				"autobahn.websocket.client.reconnect.initial-delay=200ms",
				"autobahn.websocket.client.reconnect.max-delay=10s",
				"autobahn.websocket.client.reconnect.max-attempts=7",
				"autobahn.websocket.client.reconnect.final-close-codes=1008,4401")
			.run((context) -> {
				WebSocketConnector connector = context.getBean(WebSocketConnector.class);
				WebSocketClientOptions options = connector.getDefaultOptions();
				assertThat(options.getOrigin()).isEqualTo("https://app.example.com");
				assertThat(options.getSubprotocols()).containsExactly("v2", "v1");
				assertThat(options.getHeaders().get("Authorization")).containsExactly("Bearer t");
				assertThat(options.isPerMessageDeflate()).isFalse();
				assertThat(options.getOpenHandshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(options.getCloseHandshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(options.getAutoPingInterval()).isEqualTo(Duration.ofSeconds(20));
				assertThat(options.getAutoPingTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(options.getMaxMessagePayloadSize()).isEqualTo(64 * 1024);
				assertThat(options.getProxy()).isEqualTo(InetSocketAddress.createUnresolved("proxy.example.com", 3128));
				ReconnectPolicy policy = connector.getDefaultReconnectPolicy();
				assertThat(policy.getInitialDelay()).isEqualTo(Duration.ofMillis(200));
				assertThat(policy.getMaxDelay()).isEqualTo(Duration.ofSeconds(10));
				assertThat(policy.getMaxAttempts()).isEqualTo(7);
				assertThat(policy.getFinalCloseCodes()).containsExactlyInAnyOrder(1008, 4401);
			});
	}

	@Test
	void theDefaultsAreSecureAndBounded() {
		this.runner.run((context) -> {
			WebSocketClientOptions options = context.getBean(WebSocketConnector.class).getDefaultOptions();
			assertThat(options.getSslBundle()).as("the JVM's trusted certificates").isNull();
			assertThat(options.getProxy()).isNull();
			assertThat(options.isPerMessageDeflate()).isTrue();
			assertThat(options.getMaxMessagePayloadSize()).isEqualTo(1024 * 1024);
			assertThat(options.getOpenHandshakeTimeout()).isEqualTo(Duration.ofSeconds(5));
		});
	}

	@Test
	void clientConnectionsAreObservedForMetricsInAnApplicationThatIsNotAWebOne() {
		this.runner.withConfiguration(AutoConfigurations.of(AutobahnWebSocketMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> assertThat(context).getBean(EndpointObservers.class)
				.isInstanceOf(MicrometerEndpointObservers.class));
	}

	@Test
	void beansOfClientProtocolClassesArePrototypes() {
		this.runner.withUserConfiguration(ClientProtocols.class).run((context) -> {
			assertThat(context.getBean(Feed.class)).isNotSameAs(context.getBean(Feed.class));
			assertThat(context.getBean(DeclaredFeed.class)).isNotSameAs(context.getBean(DeclaredFeed.class));
		});
	}

	@Test
	void aClientProtocolBeanOfAnotherScopeFailsStartup() {
		this.runner.withUserConfiguration(SingletonClientProtocol.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(EndpointConfigurationException.NotPrototype.class)
				.hasMessageContaining("WebSocket client bean 'feed' is declared with scope 'singleton'"));
	}

	@Test
	void theApplicationsConnectorReplacesTheStarters() {
		this.runner.withUserConfiguration(UserConnector.class)
			.run((context) -> assertThat(context).getBean(WebSocketConnector.class)
				.isSameAs(context.getBean(UserConnector.class).connector));
	}

	@Test
	void theApplicationsTransportReplacesTheStarters() {
		this.runner.withUserConfiguration(UserTransport.class)
			.run((context) -> assertThat(context).getBean(ClientTransport.class)
				.isSameAs(context.getBean(UserTransport.class).transport));
	}

	@WebSocketClient
	static class Feed extends WebSocketClientProtocol {

	}

	static class DeclaredFeed extends WebSocketClientProtocol {

	}

	@Configuration(proxyBeanMethods = false)
	static class ClientProtocols {

		@Bean
		Feed feed() {
			return new Feed();
		}

		@Bean
		DeclaredFeed declaredFeed() {
			return new DeclaredFeed();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SingletonClientProtocol {

		@Bean
		@Scope("singleton")
		DeclaredFeed feed() {
			return new DeclaredFeed();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConnector {

		final WebSocketConnector connector = new NoConnector();

		@Bean
		WebSocketConnector myConnector() {
			return this.connector;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserTransport {

		final ClientTransport transport = new JdkClientTransport();

		@Bean
		ClientTransport myTransport() {
			return this.transport;
		}

	}

	/** A connector of the application's own; never asked to connect here. */
	static class NoConnector implements WebSocketConnector {

		@Override
		public WebSocketClientOptions getDefaultOptions() {
			return WebSocketClientOptions.defaults();
		}

		@Override
		public ReconnectPolicy getDefaultReconnectPolicy() {
			return ReconnectPolicy.defaults();
		}

		@Override
		public <P extends WebSocketClientProtocol> CompletableFuture<P> connect(URI uri, WebSocketClientOptions options,
				Class<P> protocolClass) {
			throw new UnsupportedOperationException();
		}

		@Override
		public <P extends WebSocketClientProtocol> CompletableFuture<P> connect(URI uri, WebSocketClientOptions options,
				Supplier<? extends P> protocolFactory) {
			throw new UnsupportedOperationException();
		}

		@Override
		public <P extends WebSocketClientProtocol> ReconnectingConnection<P> connectWithReconnect(URI uri,
				WebSocketClientOptions options, ReconnectPolicy policy, Class<P> protocolClass) {
			throw new UnsupportedOperationException();
		}

		@Override
		public <P extends WebSocketClientProtocol> ReconnectingConnection<P> connectWithReconnect(URI uri,
				WebSocketClientOptions options, ReconnectPolicy policy, Supplier<? extends P> protocolFactory) {
			throw new UnsupportedOperationException();
		}

	}

}
