package io.autobahn.spring.websocket.autoconfigure;

import java.net.InetAddress;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

import io.autobahn.spring.websocket.actuate.EndpointLocator;
import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.server.DedicatedPortServer;
import io.autobahn.spring.websocket.server.DedicatedPortServers;

/**
 * Locates the endpoints of an application for the Actuator endpoint, as the startup log
 * names them: on the application's web server, or on a dedicated port's Reactor Netty
 * server. Thread-safe; reads the servers' ports when asked.
 */
final class ApplicationEndpointLocator implements EndpointLocator {

	private static final String REACTOR_NETTY = "Reactor Netty";

	private final ApplicationContext context;

	private final ObjectProvider<ServerProperties> serverProperties;

	private final ObjectProvider<DedicatedPortServers> dedicatedPortServers;

	ApplicationEndpointLocator(ApplicationContext context, ObjectProvider<ServerProperties> serverProperties,
			ObjectProvider<DedicatedPortServers> dedicatedPortServers) {
		this.context = context;
		this.serverProperties = serverProperties;
		this.dedicatedPortServers = dedicatedPortServers;
	}

	@Override
	public Location locate(EndpointDefinition endpoint) {
		return endpoint.hasDedicatedPort() ? locateOnDedicatedPort(endpoint) : locateOnMainPort(endpoint);
	}

	private Location locateOnDedicatedPort(EndpointDefinition endpoint) {
		DedicatedPortServers servers = this.dedicatedPortServers.getIfAvailable();
		DedicatedPortServer server = (servers != null) ? servers.getServers()
			.stream()
			.filter((candidate) -> candidate.getEndpointNames().contains(endpoint.name()))
			.findFirst()
			.orElse(null) : null;
		if (server == null || !server.isRunning()) {
			return new Location(null, null, REACTOR_NETTY, endpoint.sslBundle() != null);
		}
		return new Location(
				EndpointStartupLogger.url(server.isSecure(), server.getAddress(), server.getPort(), endpoint.path()),
				server.getPort(), REACTOR_NETTY, server.isSecure());
	}

	private Location locateOnMainPort(EndpointDefinition endpoint) {
		ServerProperties properties = this.serverProperties.getIfAvailable();
		boolean secure = properties != null && Ssl.isEnabled(properties.getSsl());
		boolean servlet = this.context
			.containsBean(AutobahnServletWebSocketAutoConfiguration.HANDLER_MAPPING_BEAN_NAME);
		WebServer webServer = (this.context instanceof WebServerApplicationContext web) ? web.getWebServer() : null;
		String stack = (webServer != null)
				? EndpointStartupLogger.MainPort.serverName(webServer.getClass().getSimpleName())
				: servlet ? "Servlet container" : REACTOR_NETTY;
		Integer port = (webServer != null && webServer.getPort() > 0) ? webServer.getPort() : null;
		if (port == null) {
			return new Location(null, null, stack, secure);
		}
		String prefix = servlet
				? EndpointStartupLogger.MainPort.servletPathPrefix(properties, this.context.getEnvironment())
				: EndpointStartupLogger.MainPort
					.trimmed(this.context.getEnvironment().getProperty("spring.webflux.base-path"));
		return new Location(EndpointStartupLogger.url(secure, address(properties), port, prefix + endpoint.path()),
				port, stack, secure);
	}

	private static @Nullable InetAddress address(@Nullable ServerProperties properties) {
		return (properties != null) ? properties.getAddress() : null;
	}

}
