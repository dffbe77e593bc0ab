package io.autobahn.spring.websocket.autoconfigure;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.core.Budget;
import io.autobahn.spring.websocket.core.ConnectionRegistry;
import io.autobahn.spring.websocket.core.EndpointBudgets;
import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.core.EndpointObservers;
import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.ProtocolFactory;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.core.ServerEndpoints;
import io.autobahn.spring.websocket.core.WebSocketBudgets;
import io.autobahn.spring.websocket.server.DedicatedPortServers;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for {@link WebSocketEndpoint
 *
 * @WebSocketEndpoint} beans, common to every web stack: endpoint discovery and settings
 * (from the bound {@link AutobahnWebSocketProperties}), the registry of open connections,
 * the timer behind auto-ping and close timeouts, and the startup log of where each
 * endpoint is served. Each endpoint reports its handshakes and connections to the
 * {@link EndpointObservers} bean where there is one (the meters of
 * {@link AutobahnWebSocketMetricsAutoConfiguration}). The stack-specific
 * auto-configurations serve the resulting {@link ServerEndpoints}.
 */
@AutoConfiguration
@ConditionalOnWebApplication
@EnableConfigurationProperties(AutobahnWebSocketProperties.class)
@Import(AutobahnWebSocketSharedConfiguration.class)
public final class AutobahnWebSocketAutoConfiguration {

	/** Name of the scheduler bean behind auto-ping and close handshake timeouts. */
	public static final String TIMER_BEAN_NAME = "autobahnWebSocketTimer";

	@Bean
	@ConditionalOnMissingBean
	ProtocolFactory autobahnProtocolFactory(ConfigurableListableBeanFactory beanFactory) {
		return new BeanFactoryProtocolFactory(beanFactory);
	}

	@Bean
	@ConditionalOnMissingBean
	ServerEndpoints autobahnServerEndpoints(ConfigurableListableBeanFactory beanFactory,
			AutobahnWebSocketProperties properties, ProtocolFactory protocolFactory, ConnectionRegistry registry,
			@Qualifier(TIMER_BEAN_NAME) ScheduledExecutorService timer, WebSocketBudgets budgets,
			ObjectProvider<EndpointObservers> observers) {
		List<EndpointDefinition> definitions = new WebSocketEndpointDiscoverer(beanFactory, properties).discover();
		checkDedicatedPortsCanBeServed(definitions, beanFactory);
		EndpointObservers endpointObservers = observers.getIfUnique(() -> EndpointObservers.NONE);
		return new ServerEndpoints(definitions.stream()
			.map((definition) -> new ServerEndpoint(definition, protocolFactory, registry, timer,
					endpointBudgets(budgets, definition),
					endpointObservers.forEndpoint(definition.name(), EndpointObservers.Side.SERVER)))
			.toList());
	}

	private static EndpointBudgets endpointBudgets(WebSocketBudgets budgets, EndpointDefinition definition) {
		EndpointSettings settings = definition.settings();
		return budgets.endpoint(definition.name(), orUnlimited(settings.inboundBudget()),
				orUnlimited(settings.outboundBudget()), orUnlimited(settings.maxConnections()));
	}

	private static long orUnlimited(long limit) {
		return (limit > 0) ? limit : Budget.UNLIMITED;
	}

	/**
	 * The INFO line of each endpoint served on the application's server, once it listens.
	 * Its event comes with Spring Boot's embedded web server support.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebServerInitializedEvent.class)
	static class StartupLogConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EndpointStartupLogger.MainPort autobahnEndpointStartupLogger(ApplicationContext context,
				ServerEndpoints endpoints, ObjectProvider<ServerProperties> serverProperties) {
			return new EndpointStartupLogger.MainPort(context, endpoints, serverProperties);
		}

	}

	/**
	 * Dedicated ports run on Reactor Netty, which a servlet application may lack, and on
	 * servers that only {@link AutobahnDedicatedPortAutoConfiguration} adds: fail rather
	 * than silently serve nothing on that port. Processed ahead of time, that
	 * auto-configuration's condition was evaluated at build time, so a port set only at
	 * run time finds no servers.
	 */
	private static void checkDedicatedPortsCanBeServed(List<EndpointDefinition> definitions,
			ConfigurableListableBeanFactory beanFactory) {
		EndpointDefinition first = definitions.stream()
			.filter(EndpointDefinition::hasDedicatedPort)
			.findFirst()
			.orElse(null);
		if (first == null) {
			return;
		}
		int port = Objects.requireNonNull(first.port());
		List<String> missing = DedicatedPortDependencies.missing(beanFactory.getBeanClassLoader());
		if (!missing.isEmpty()) {
			throw new EndpointConfigurationException.DedicatedPortDependencyMissing(first.name(), port, missing);
		}
		if (beanFactory.getBeanNamesForType(DedicatedPortServers.class, true, false).length == 0) {
			throw new EndpointConfigurationException.DedicatedPortNotServed(first.name(), port,
					AotDetector.useGeneratedArtifacts());
		}
	}

}
