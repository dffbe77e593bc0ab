package io.autobahn.spring.websocket.autoconfigure;

import java.net.InetAddress;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.core.ServerEndpoints;
import io.autobahn.spring.websocket.server.DedicatedPortServer;
import io.autobahn.spring.websocket.server.DedicatedPortServerInitializedEvent;

/**
 * Logs one INFO line per endpoint once it is reachable, as Spring Boot logs its web
 * server's port: the endpoint's name, its URL and the server that serves it, such as
 * {@code WebSocket endpoint 'echo' serving ws://*:8080/echo (Tomcat)}. {@code *} stands
 * for every interface (no {@code server.address}). Its two listeners are registered
 * apart, since the classes of their events need libraries an application may lack; each
 * is called on the thread that starts the server, once per server.
 */
final class EndpointStartupLogger {

	private static final Log logger = LogFactory.getLog(EndpointStartupLogger.class);

	private EndpointStartupLogger() {
	}

	private static void log(EndpointDefinition endpoint, boolean secure, @Nullable InetAddress address, int port,
			String pathPrefix, String server) {
		if (logger.isInfoEnabled()) {
			logger.info("WebSocket endpoint '" + endpoint.name() + "' serving "
					+ url(secure, address, port, pathPrefix + endpoint.path()) + " (" + server + ")");
		}
	}

	/**
	 * The URL of an endpoint, {@code *} standing for every interface.
	 */
	static String url(boolean secure, @Nullable InetAddress address, int port, String path) {
		String host = (address != null) ? address.getHostAddress() : "*";
		host = host.contains(":") ? "[" + host + "]" : host;
		return (secure ? "wss" : "ws") + "://" + host + ":" + port + path;
	}

	/**
	 * Logs the endpoints served on the application's own server once it listens.
	 */
	static final class MainPort implements ApplicationListener<WebServerInitializedEvent> {

		private final ApplicationContext context;

		private final ServerEndpoints endpoints;

		private final ObjectProvider<ServerProperties> serverProperties;

		MainPort(ApplicationContext context, ServerEndpoints endpoints,
				ObjectProvider<ServerProperties> serverProperties) {
			this.context = context;
			this.endpoints = endpoints;
			this.serverProperties = serverProperties;
		}

		@Override
		public void onApplicationEvent(WebServerInitializedEvent event) {
			// A management server on a port of its own publishes this event too.
			if (event.getApplicationContext() != this.context) {
				return;
			}
			boolean servlet = this.context
				.containsBean(AutobahnServletWebSocketAutoConfiguration.HANDLER_MAPPING_BEAN_NAME);
			boolean reactive = this.context
				.containsBean(AutobahnReactiveWebSocketAutoConfiguration.HANDLER_MAPPING_BEAN_NAME);
			if (!servlet && !reactive) {
				return;
			}
			ServerProperties properties = this.serverProperties.getIfAvailable();
			boolean secure = properties != null && Ssl.isEnabled(properties.getSsl());
			InetAddress address = (properties != null) ? properties.getAddress() : null;
			String prefix = servlet ? servletPathPrefix(properties, this.context.getEnvironment())
					: trimmed(this.context.getEnvironment().getProperty("spring.webflux.base-path"));
			String server = serverName(event.getWebServer().getClass().getSimpleName());
			for (ServerEndpoint endpoint : this.endpoints.endpoints()) {
				if (!endpoint.getDefinition().hasDedicatedPort()) {
					log(endpoint.getDefinition(), secure, address, event.getWebServer().getPort(), prefix, server);
				}
			}
		}

		static String servletPathPrefix(@Nullable ServerProperties properties, Environment environment) {
			String contextPath = (properties != null) ? properties.getServlet().getContextPath() : null;
			return trimmed(contextPath) + trimmed(environment.getProperty("spring.mvc.servlet.path"));
		}

		static String trimmed(@Nullable String path) {
			if (!StringUtils.hasText(path) || "/".equals(path)) {
				return "";
			}
			return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
		}

		/**
		 * {@code TomcatWebServer} is Tomcat, {@code JettyServletWebServer} Jetty,
		 * {@code NettyWebServer} Reactor Netty.
		 */
		static String serverName(String webServerClass) {
			String name = webServerClass.replaceFirst("(Servlet|Reactive)?WebServer$", "");
			return "Netty".equals(name) ? "Reactor Netty" : name;
		}

	}

	/**
	 * Logs the endpoints served on a dedicated port once its server listens.
	 */
	static final class DedicatedPorts implements ApplicationListener<DedicatedPortServerInitializedEvent> {

		private final ServerEndpoints endpoints;

		DedicatedPorts(ServerEndpoints endpoints) {
			this.endpoints = endpoints;
		}

		@Override
		public void onApplicationEvent(DedicatedPortServerInitializedEvent event) {
			DedicatedPortServer server = event.getServer();
			List<String> names = server.getEndpointNames();
			for (ServerEndpoint endpoint : this.endpoints.endpoints()) {
				if (names.contains(endpoint.getDefinition().name())) {
					log(endpoint.getDefinition(), server.isSecure(), server.getAddress(), server.getPort(), "",
							"Reactor Netty, dedicated port");
				}
			}
		}

	}

}
