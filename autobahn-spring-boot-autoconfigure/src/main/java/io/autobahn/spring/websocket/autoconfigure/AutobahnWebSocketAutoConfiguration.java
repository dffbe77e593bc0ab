package io.autobahn.spring.websocket.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContextException;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.core.Budget;
import io.autobahn.spring.websocket.core.ConnectionRegistry;
import io.autobahn.spring.websocket.core.EndpointBudgets;
import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.ProtocolFactory;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.core.ServerEndpoints;
import io.autobahn.spring.websocket.core.WebSocketBudgets;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for {@link WebSocketEndpoint
 * @WebSocketEndpoint} beans, common to every web stack: endpoint discovery and settings,
 * the registry of open connections, and the timer behind auto-ping and close timeouts. The
 * stack-specific auto-configurations serve the resulting {@link ServerEndpoints}.
 */
@AutoConfiguration
@ConditionalOnWebApplication
@EnableConfigurationProperties(AutobahnWebSocketProperties.class)
public final class AutobahnWebSocketAutoConfiguration {

	/** Name of the scheduler bean behind auto-ping and close handshake timeouts. */
	public static final String TIMER_BEAN_NAME = "autobahnWebSocketTimer";

	private static final String REACTOR_NETTY_SERVER = "reactor.netty.http.server.HttpServer";

	private static final String WEBFLUX_HTTP_HANDLER_BUILDER = "org.springframework.web.server.adapter.WebHttpHandlerBuilder";

	@Bean
	static WebSocketEndpointScopePostProcessor autobahnWebSocketEndpointScopePostProcessor() {
		return new WebSocketEndpointScopePostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectionRegistry autobahnConnectionRegistry() {
		return new ConnectionRegistry();
	}

	@Bean(name = TIMER_BEAN_NAME, destroyMethod = "shutdownNow")
	@ConditionalOnMissingBean(name = TIMER_BEAN_NAME)
	ScheduledExecutorService autobahnWebSocketTimer() {
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
				new CustomizableThreadFactory("autobahn-timer-"));
		timer.setRemoveOnCancelPolicy(true);
		return Executors.unconfigurableScheduledExecutorService(timer);
	}

	@Bean
	@ConditionalOnMissingBean
	ProtocolFactory autobahnProtocolFactory(ConfigurableListableBeanFactory beanFactory) {
		return new BeanFactoryProtocolFactory(beanFactory);
	}

	@Bean
	@ConditionalOnMissingBean
	WebSocketBudgets autobahnWebSocketBudgets(AutobahnWebSocketProperties properties) {
		AutobahnWebSocketProperties.Application application = properties.getApplication();
		Integer maxConnections = application.getMaxConnections();
		if (maxConnections != null && maxConnections <= 0) {
			throw new ApplicationContextException("Invalid autobahn.websocket.application.max-connections: it must be "
					+ "positive (leave it unset for no limit), got " + maxConnections);
		}
		return new WebSocketBudgets(byteBudget(application.getInboundBudget(), "inbound-budget"),
				byteBudget(application.getOutboundBudget(), "outbound-budget"),
				(maxConnections != null) ? maxConnections : Budget.UNLIMITED);
	}

	private static long byteBudget(@Nullable DataSize size, String property) {
		if (size == null) {
			return WebSocketBudgets.defaultByteBudget();
		}
		if (size.toBytes() <= 0) {
			throw new ApplicationContextException("Invalid autobahn.websocket.application." + property
					+ ": it must be positive, got " + size);
		}
		return size.toBytes();
	}

	@Bean
	@ConditionalOnMissingBean
	ServerEndpoints autobahnServerEndpoints(ConfigurableListableBeanFactory beanFactory, Environment environment,
			ProtocolFactory protocolFactory, ConnectionRegistry registry,
			@Qualifier(TIMER_BEAN_NAME) ScheduledExecutorService timer, WebSocketBudgets budgets) {
		List<EndpointDefinition> definitions = new WebSocketEndpointDiscoverer(beanFactory, environment).discover();
		checkDedicatedPortsCanBeServed(definitions, beanFactory.getBeanClassLoader());
		return new ServerEndpoints(definitions.stream()
			.map((definition) -> new ServerEndpoint(definition, protocolFactory, registry, timer,
					endpointBudgets(budgets, definition)))
			.toList());
	}

	private static EndpointBudgets endpointBudgets(WebSocketBudgets budgets,
			EndpointDefinition definition) {
		EndpointSettings settings = definition.settings();
		return budgets.endpoint(definition.name(), orUnlimited(settings.inboundBudget()),
				orUnlimited(settings.outboundBudget()), orUnlimited(settings.maxConnections()));
	}

	private static long orUnlimited(long limit) {
		return (limit > 0) ? limit : Budget.UNLIMITED;
	}

	/**
	 * Dedicated ports run on Reactor Netty, which a servlet application may lack: fail
	 * rather than silently serve nothing on that port.
	 */
	private static void checkDedicatedPortsCanBeServed(List<EndpointDefinition> definitions,
			@Nullable ClassLoader classLoader) {
		EndpointDefinition first = definitions.stream()
			.filter(EndpointDefinition::hasDedicatedPort)
			.findFirst()
			.orElse(null);
		if (first == null) {
			return;
		}
		List<String> missing = new ArrayList<>();
		if (!ClassUtils.isPresent(REACTOR_NETTY_SERVER, classLoader)) {
			missing.add("io.projectreactor.netty:reactor-netty-http");
		}
		if (!ClassUtils.isPresent(WEBFLUX_HTTP_HANDLER_BUILDER, classLoader)) {
			missing.add("org.springframework:spring-webflux");
		}
		if (!missing.isEmpty()) {
			throw new ApplicationContextException("WebSocket endpoint '" + first.name() + "' has a dedicated port ("
					+ first.port() + "), which is served by Reactor Netty: add " + String.join(" and ", missing)
					+ " to the application's dependencies, or remove the endpoint's port to serve it on the "
					+ "application's server port");
		}
	}

}
