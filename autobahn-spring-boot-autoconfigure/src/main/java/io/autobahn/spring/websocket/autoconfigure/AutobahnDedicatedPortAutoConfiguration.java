package io.autobahn.spring.websocket.autoconfigure;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ReactorResourceFactory;

import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.core.ServerEndpoints;
import io.autobahn.spring.websocket.server.DedicatedPortServer;
import io.autobahn.spring.websocket.server.DedicatedPortServerCustomizer;
import io.autobahn.spring.websocket.server.DedicatedPortServers;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that serves endpoints with a
 * {@code port} of their own on Reactor Netty servers, one per distinct port, in servlet
 * and reactive applications alike. Every {@link DedicatedPortServerCustomizer} bean is
 * applied, in order, to each server. Needs Reactor Netty and spring-webflux on the
 * classpath; without them {@link AutobahnWebSocketAutoConfiguration} fails startup when
 * an endpoint has a port.
 */
@AutoConfiguration(after = { AutobahnWebSocketAutoConfiguration.class, SslAutoConfiguration.class })
@ConditionalOnWebApplication
@ConditionalOnClass(name = { DedicatedPortDependencies.REACTOR_NETTY_CLASS, DedicatedPortDependencies.WEBFLUX_CLASS })
@ConditionalOnBean(ServerEndpoints.class)
@Conditional(OnDedicatedPortCondition.class)
public final class AutobahnDedicatedPortAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DedicatedPortServers autobahnDedicatedPortServers(ServerEndpoints endpoints, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<ReactorResourceFactory> resourceFactory,
			ObjectProvider<DedicatedPortServerCustomizer> customizers, Environment environment,
			ApplicationEventPublisher eventPublisher) {
		UnsupportedSettingsWarner.warn(UnsupportedSettingsWarner.Stack.DEDICATED_PORT, endpoints, environment);
		InetAddress address = serverAddress(environment);
		List<DedicatedPortServerCustomizer> ordered = customizers.orderedStream().toList();
		List<DedicatedPortServer> servers = new ArrayList<>();
		endpointsByPort(endpoints).forEach((port, onPort) -> servers.add(new DedicatedPortServer(port, address, onPort,
				sslBundle(onPort.get(0).getDefinition(), sslBundles), resourceFactory.getIfUnique(), ordered)));
		return new DedicatedPortServers(servers, environment, eventPublisher);
	}

	@Bean
	@ConditionalOnMissingBean
	EndpointStartupLogger.DedicatedPorts autobahnDedicatedPortStartupLogger(ServerEndpoints endpoints) {
		return new EndpointStartupLogger.DedicatedPorts(endpoints);
	}

	/**
	 * The address the dedicated ports bind, as the application's server does. The key is
	 * read here, once, rather than from Spring Boot's {@code ServerProperties} bean: that
	 * bean exists only where Spring Boot's embedded web server auto-configuration runs,
	 * and a dedicated port honours {@code server.address} where it does not as well.
	 */
	private static @Nullable InetAddress serverAddress(Environment environment) {
		return Binder.get(environment).bind("server.address", InetAddress.class).orElse(null);
	}

	private static Map<Integer, List<ServerEndpoint>> endpointsByPort(ServerEndpoints endpoints) {
		Map<Integer, List<ServerEndpoint>> byPort = new LinkedHashMap<>();
		for (ServerEndpoint endpoint : endpoints.endpoints()) {
			Integer port = endpoint.getDefinition().port();
			if (port != null) {
				byPort.computeIfAbsent(port, (key) -> new ArrayList<>()).add(endpoint);
			}
		}
		return byPort;
	}

	private static @Nullable SslBundle sslBundle(EndpointDefinition endpoint, ObjectProvider<SslBundles> sslBundles) {
		String name = endpoint.sslBundle();
		if (name == null) {
			return null;
		}
		SslBundles bundles = sslBundles.getIfAvailable();
		if (bundles == null) {
			throw new EndpointConfigurationException.UnknownSslBundle(endpoint.name(), name, null);
		}
		try {
			return bundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new EndpointConfigurationException.UnknownSslBundle(endpoint.name(), name, ex);
		}
	}

}
