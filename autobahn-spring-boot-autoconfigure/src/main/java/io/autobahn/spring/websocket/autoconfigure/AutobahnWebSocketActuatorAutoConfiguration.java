package io.autobahn.spring.websocket.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import io.autobahn.spring.websocket.WebSocketConnections;
import io.autobahn.spring.websocket.actuate.WebSocketActuatorEndpoint;
import io.autobahn.spring.websocket.core.ClusterView;
import io.autobahn.spring.websocket.core.ServerEndpoints;
import io.autobahn.spring.websocket.server.DedicatedPortServers;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the Actuator endpoint
 * {@code websocket} ({@link WebSocketActuatorEndpoint}), with Spring Boot's Actuator on
 * the classpath and the endpoint available (exposed, and its access not {@code none}), as
 * any Actuator endpoint. A {@link WebSocketActuatorEndpoint} bean of the application's
 * own replaces it.
 */
@AutoConfiguration(after = { AutobahnWebSocketAutoConfiguration.class, AutobahnServletWebSocketAutoConfiguration.class,
		AutobahnReactiveWebSocketAutoConfiguration.class, AutobahnDedicatedPortAutoConfiguration.class })
@ConditionalOnWebApplication
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class, WebServerApplicationContext.class })
@ConditionalOnBean(ServerEndpoints.class)
public final class AutobahnWebSocketActuatorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	WebSocketActuatorEndpoint autobahnWebSocketActuatorEndpoint(ServerEndpoints endpoints, ApplicationContext context,
			ObjectProvider<ServerProperties> serverProperties,
			ObjectProvider<DedicatedPortServers> dedicatedPortServers, ObjectProvider<ClusterView> cluster,
			ObjectProvider<WebSocketConnections> connections) {
		return new WebSocketActuatorEndpoint(endpoints,
				new ApplicationEndpointLocator(context, serverProperties, dedicatedPortServers), cluster.getIfUnique(),
				connections.getIfUnique());
	}

}
