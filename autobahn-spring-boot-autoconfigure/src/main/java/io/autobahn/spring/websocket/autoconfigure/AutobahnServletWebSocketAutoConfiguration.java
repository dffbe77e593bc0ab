package io.autobahn.spring.websocket.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;

import io.autobahn.spring.websocket.core.ServerEndpoints;
import io.autobahn.spring.websocket.servlet.ProtocolWebSocketHandler;
import io.autobahn.spring.websocket.servlet.ServletEndpointMappings;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that serves the endpoints on the
 * servlet stack (Spring MVC with spring-websocket, on Tomcat or Jetty), each on its path
 * of the application's server, without {@code @EnableWebSocket}.
 */
@AutoConfiguration(after = AutobahnWebSocketAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ DispatcherServlet.class, WebSocketHandler.class, WebSocketHandlerMapping.class })
@ConditionalOnBean(ServerEndpoints.class)
public final class AutobahnServletWebSocketAutoConfiguration {

	/** Name of the handler mapping bean that maps endpoint paths. */
	public static final String HANDLER_MAPPING_BEAN_NAME = "autobahnWebSocketHandlerMapping";

	@Bean
	@ConditionalOnMissingBean
	ProtocolWebSocketHandler autobahnProtocolWebSocketHandler() {
		return new ProtocolWebSocketHandler();
	}

	@Bean(name = HANDLER_MAPPING_BEAN_NAME)
	@ConditionalOnMissingBean(name = HANDLER_MAPPING_BEAN_NAME)
	WebSocketHandlerMapping autobahnWebSocketHandlerMapping(ServerEndpoints endpoints, ProtocolWebSocketHandler handler,
			Environment environment) {
		UnsupportedSettingsWarner.warn(ServletEndpointMappings.isJetty() ? UnsupportedSettingsWarner.Stack.JETTY
				: UnsupportedSettingsWarner.Stack.TOMCAT, endpoints, environment);
		return ServletEndpointMappings.create(endpoints, handler);
	}

}
