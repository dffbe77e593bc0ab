package io.autobahn.spring.websocket.autoconfigure;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.unit.DataSize;

import io.autobahn.spring.websocket.core.Budget;
import io.autobahn.spring.websocket.core.ConnectionRegistry;
import io.autobahn.spring.websocket.core.WebSocketBudgets;

/**
 * What the server side ({@link AutobahnWebSocketAutoConfiguration}, web applications) and
 * the client side ({@link AutobahnWebSocketClientAutoConfiguration}, any application)
 * share, imported by both and registered once: the registry of open connections, the
 * timer behind auto-ping and close timeouts, the application's budgets, and the check
 * that protocol beans are prototypes.
 */
@Configuration(proxyBeanMethods = false)
class AutobahnWebSocketSharedConfiguration {

	@Bean
	static WebSocketEndpointScopePostProcessor autobahnWebSocketEndpointScopePostProcessor() {
		return new WebSocketEndpointScopePostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectionRegistry autobahnConnectionRegistry() {
		return new ConnectionRegistry();
	}

	@Bean(name = AutobahnWebSocketAutoConfiguration.TIMER_BEAN_NAME, destroyMethod = "shutdownNow")
	@ConditionalOnMissingBean(name = AutobahnWebSocketAutoConfiguration.TIMER_BEAN_NAME)
	ScheduledExecutorService autobahnWebSocketTimer() {
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
				new CustomizableThreadFactory("autobahn-timer-"));
		timer.setRemoveOnCancelPolicy(true);
		return Executors.unconfigurableScheduledExecutorService(timer);
	}

	@Bean
	@ConditionalOnMissingBean
	WebSocketBudgets autobahnWebSocketBudgets(AutobahnWebSocketProperties properties) {
		// Non-positive values fail the binding
		// (AutobahnWebSocketProperties.Application#validate).
		AutobahnWebSocketProperties.Application application = properties.getApplication();
		Integer maxConnections = application.getMaxConnections();
		return new WebSocketBudgets(byteBudget(application.getInboundBudget()),
				byteBudget(application.getOutboundBudget()),
				(maxConnections != null) ? maxConnections : Budget.UNLIMITED);
	}

	private static long byteBudget(@Nullable DataSize size) {
		return (size != null) ? size.toBytes() : WebSocketBudgets.defaultByteBudget();
	}

}
