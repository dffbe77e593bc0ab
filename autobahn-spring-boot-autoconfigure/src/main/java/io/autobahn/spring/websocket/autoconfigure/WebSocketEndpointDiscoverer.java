package io.autobahn.spring.websocket.autoconfigure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.ApplicationContextException;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.core.EndpointSettings;

/**
 * Finds the {@link WebSocketEndpoint @WebSocketEndpoint} beans and resolves each one's
 * settings: the defaults under {@code autobahn.websocket}, overridden by
 * {@code autobahn.websocket.endpoints.<name>}.
 */
public class WebSocketEndpointDiscoverer {

	private static final String PREFIX = "autobahn.websocket";

	private final ConfigurableListableBeanFactory beanFactory;

	private final Binder binder;

	/**
	 * Create a new instance.
	 * @param beanFactory the bean factory to search
	 * @param environment the environment to bind settings from
	 */
	public WebSocketEndpointDiscoverer(ConfigurableListableBeanFactory beanFactory, Environment environment) {
		this.beanFactory = beanFactory;
		this.binder = Binder.get(environment);
	}

	/**
	 * Discover the endpoints.
	 * @return the endpoints, with unique names and paths
	 * @throws ApplicationContextException for an endpoint without a path, a bean that is
	 * not a {@link WebSocketServerProtocol}, two endpoints with one name or path, a port
	 * out of range, an SSL bundle without a port, or endpoints that share a port but not
	 * its SSL bundle
	 */
	public List<EndpointDefinition> discover() {
		List<EndpointDefinition> endpoints = new ArrayList<>();
		Map<String, String> beansByName = new HashMap<>();
		Map<String, String> namesByPath = new HashMap<>();
		for (String beanName : this.beanFactory.getBeanNamesForAnnotation(WebSocketEndpoint.class)) {
			Class<? extends WebSocketServerProtocol> type = protocolType(beanName);
			WebSocketEndpoint annotation = this.beanFactory.findAnnotationOnBean(beanName, WebSocketEndpoint.class);
			String name = (annotation != null && StringUtils.hasText(annotation.name())) ? annotation.name() : beanName;
			AutobahnWebSocketProperties.Endpoint options = bind(name);
			String path = StringUtils.hasText(options.getPath()) ? options.getPath()
					: (annotation != null) ? annotation.path() : null;
			if (!StringUtils.hasText(path)) {
				throw new ApplicationContextException("WebSocket endpoint '" + name + "' (" + type.getName()
						+ ") has no path: give it one with @WebSocketEndpoint(\"/path\") or "
						+ PREFIX + ".endpoints." + propertyKey(name) + ".path");
			}
			String otherBean = beansByName.putIfAbsent(name, beanName);
			if (otherBean != null) {
				throw new ApplicationContextException("WebSocket endpoints '" + otherBean + "' and '" + beanName
						+ "' are both named '" + name + "'; give one a different @WebSocketEndpoint(name = ...)");
			}
			String otherPath = namesByPath.putIfAbsent(path, name);
			if (otherPath != null) {
				throw new ApplicationContextException("WebSocket endpoints '" + otherPath + "' and '" + name
						+ "' are both mapped to path '" + path + "'");
			}
			Integer port = options.getPort();
			String sslBundle = StringUtils.hasText(options.getSslBundle()) ? options.getSslBundle() : null;
			require(port == null || (port >= 0 && port <= 65535), name, "port must be between 0 and 65535, got " + port);
			require(sslBundle == null || port != null, name, "ssl-bundle '" + sslBundle + "' needs a dedicated port: set "
					+ PREFIX + ".endpoints." + propertyKey(name) + ".port (the main server's TLS is server.ssl.*)");
			endpoints.add(new EndpointDefinition(name, path, beanName, type, settings(name, options), port, sslBundle));
		}
		checkSharedPorts(endpoints);
		return endpoints;
	}

	/**
	 * Endpoints that give the same port (0 included) share one server, so they must agree
	 * on its TLS.
	 */
	private static void checkSharedPorts(List<EndpointDefinition> endpoints) {
		Map<Integer, EndpointDefinition> firstOnPort = new HashMap<>();
		for (EndpointDefinition endpoint : endpoints) {
			Integer port = endpoint.port();
			if (port == null) {
				continue;
			}
			EndpointDefinition first = firstOnPort.putIfAbsent(port, endpoint);
			if (first != null && !Objects.equals(first.sslBundle(), endpoint.sslBundle())) {
				throw new ApplicationContextException("WebSocket endpoints '" + first.name() + "' and '"
						+ endpoint.name() + "' share port " + port + " but not its ssl-bundle ("
						+ describeBundle(first.sslBundle()) + " and " + describeBundle(endpoint.sslBundle())
						+ "); give both the same ssl-bundle or use two ports");
			}
		}
	}

	private static String describeBundle(@Nullable String sslBundle) {
		return (sslBundle != null) ? "'" + sslBundle + "'" : "none";
	}

	@SuppressWarnings("unchecked")
	private Class<? extends WebSocketServerProtocol> protocolType(String beanName) {
		Class<?> type = this.beanFactory.getType(beanName);
		if (type == null || !WebSocketServerProtocol.class.isAssignableFrom(type)) {
			throw new ApplicationContextException("Bean '" + beanName + "' is annotated with @WebSocketEndpoint but "
					+ ((type != null) ? type.getName() : "its type") + " does not extend "
					+ WebSocketServerProtocol.class.getName());
		}
		return (Class<? extends WebSocketServerProtocol>) type;
	}

	private AutobahnWebSocketProperties.Endpoint bind(String name) {
		AutobahnWebSocketProperties.Endpoint options = new AutobahnWebSocketProperties.Endpoint();
		Bindable<AutobahnWebSocketProperties.Endpoint> target = Bindable.ofInstance(options);
		this.binder.bind(ConfigurationPropertyName.of(PREFIX), target);
		// Where an endpoint is served is never a default for all of them.
		options.setPath(null);
		options.setPort(null);
		options.setSslBundle(null);
		this.binder.bind(ConfigurationPropertyName.of(PREFIX + ".endpoints").append(propertyKey(name)), target);
		return options;
	}

	/**
	 * Return the canonical property key of an endpoint name: {@code echoServerProtocol}
	 * becomes {@code echo-server-protocol} (relaxed binding accepts both spellings).
	 */
	static String propertyKey(String name) {
		StringBuilder key = new StringBuilder();
		for (char c : name.toCharArray()) {
			if (Character.isUpperCase(c)) {
				if (!key.isEmpty()) {
					key.append('-');
				}
				key.append(Character.toLowerCase(c));
			}
			else if (Character.isLetterOrDigit(c) || c == '-') {
				key.append(c);
			}
			else {
				key.append('-');
			}
		}
		return key.toString();
	}

	private static EndpointSettings settings(String name, WebSocketOptions options) {
		long maxMessage = options.getMaxMessagePayloadSize().toBytes();
		require(maxMessage > 0, name, "max-message-payload-size must be positive");
		require(options.getAutoPingSize() >= 12 && options.getAutoPingSize() <= 125, name,
				"auto-ping-size must be between 12 and 125 bytes, got " + options.getAutoPingSize());
		require(options.getSendBufferSizeLimit().toBytes() > 0, name, "send-buffer-size-limit must be positive");
		require(!options.getSendTimeLimit().isNegative() && !options.getSendTimeLimit().isZero(), name,
				"send-time-limit must be positive");
		long autoFragment = bytes(options.getAutoFragmentSize());
		require(autoFragment <= Integer.MAX_VALUE, name, "auto-fragment-size is too large");
		Integer maxConnections = options.getMaxConnections();
		require(maxConnections == null || maxConnections > 0, name,
				"max-connections must be positive (leave it unset for no limit), got " + maxConnections);
		require(options.getInboundBudget() == null || options.getInboundBudget().toBytes() > 0, name,
				"inbound-budget must be positive (leave it unset for the application's only)");
		require(options.getOutboundBudget() == null || options.getOutboundBudget().toBytes() > 0, name,
				"outbound-budget must be positive (leave it unset for the application's only)");
		return new EndpointSettings(List.copyOf(options.getAllowedOrigins()), maxMessage,
				bytes(options.getMaxFramePayloadSize()), (int) autoFragment, options.getOpenHandshakeTimeout(),
				options.getCloseHandshakeTimeout(), options.getAutoPingInterval(), options.getAutoPingTimeout(),
				options.getAutoPingSize(), options.isAutoPingRestartOnAnyTraffic(), options.isPerMessageCompression(),
				List.copyOf(options.getSubprotocols()), options.getSendBufferSizeLimit().toBytes(),
				options.getSendTimeLimit(), options.isBlockingHooks(), (maxConnections != null) ? maxConnections : 0,
				bytes(options.getInboundBudget()), bytes(options.getOutboundBudget()));
	}

	private static long bytes(@Nullable DataSize size) {
		return (size != null) ? size.toBytes() : 0;
	}

	private static void require(boolean condition, String name, String message) {
		if (!condition) {
			throw new ApplicationContextException("Invalid settings for WebSocket endpoint '" + name + "': " + message);
		}
	}

}
