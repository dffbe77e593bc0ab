package io.autobahn.spring.websocket.autoconfigure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.StringUtils;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.ReceiveMode;

/**
 * Finds the {@link WebSocketEndpoint @WebSocketEndpoint} beans and resolves each one's
 * settings from the bound {@link AutobahnWebSocketProperties}: the top-level options,
 * overridden by the options set in the endpoint's block. Used once, at startup.
 */
class WebSocketEndpointDiscoverer {

	private final ConfigurableListableBeanFactory beanFactory;

	private final AutobahnWebSocketProperties properties;

	/**
	 * Create a new instance.
	 * @param beanFactory the bean factory to search
	 * @param properties the bound properties
	 */
	WebSocketEndpointDiscoverer(ConfigurableListableBeanFactory beanFactory, AutobahnWebSocketProperties properties) {
		this.beanFactory = beanFactory;
		this.properties = properties;
	}

	/**
	 * Discover the endpoints.
	 * @return the endpoints, with unique names and paths
	 * @throws EndpointConfigurationException for an endpoint without a path, a bean that
	 * is not a {@link WebSocketServerProtocol}, one that overrides receiving hooks it
	 * would never be called on, two endpoints with one name or path, endpoints that share
	 * a port but not its SSL bundle, or settings for an endpoint that does not exist
	 */
	List<EndpointDefinition> discover() {
		List<EndpointDefinition> endpoints = new ArrayList<>();
		Map<String, String> beansByName = new LinkedHashMap<>();
		Map<String, String> namesByPath = new HashMap<>();
		for (String beanName : this.beanFactory.getBeanNamesForAnnotation(WebSocketEndpoint.class)) {
			Class<? extends WebSocketServerProtocol> type = protocolType(beanName);
			WebSocketEndpoint annotation = this.beanFactory.findAnnotationOnBean(beanName, WebSocketEndpoint.class);
			String name = (annotation != null && StringUtils.hasText(annotation.name())) ? annotation.name() : beanName;
			AutobahnWebSocketProperties.Endpoint block = this.properties.getEndpoint(name);
			String path = (block != null && StringUtils.hasText(block.getPath())) ? block.getPath()
					: (annotation != null) ? annotation.path() : null;
			if (!StringUtils.hasText(path)) {
				throw new EndpointConfigurationException.NoPath(name, type);
			}
			List<String> uncalled = ReceiveMode.uncalledOverrides(type);
			if (!uncalled.isEmpty()) {
				throw new EndpointConfigurationException.UncalledHooks(name, type,
						ReceiveMode.of(type) == ReceiveMode.STREAM, uncalled);
			}
			String otherBean = beansByName.putIfAbsent(name, beanName);
			if (otherBean != null) {
				throw new EndpointConfigurationException.DuplicateName(name, otherBean, beanName);
			}
			String otherName = namesByPath.putIfAbsent(path, name);
			if (otherName != null) {
				throw new EndpointConfigurationException.DuplicatePath(path, otherName, name);
			}
			Integer port = (block != null) ? block.getPort() : null;
			String sslBundle = (block != null && StringUtils.hasText(block.getSslBundle())) ? block.getSslBundle()
					: null;
			endpoints.add(new EndpointDefinition(name, path, beanName, type, settings(block), port, sslBundle));
		}
		checkEveryBlockNamesAnEndpoint(beansByName);
		checkSharedPorts(endpoints);
		return endpoints;
	}

	private EndpointSettings settings(AutobahnWebSocketProperties.@Nullable Endpoint block) {
		EndpointSettings.Builder builder = EndpointSettings.builder();
		this.properties.applyTo(builder);
		if (block != null) {
			block.applyTo(builder);
		}
		return builder.build();
	}

	/**
	 * A block whose key is misspelled would be bound and then ignored, silently dropping
	 * its settings (an allowed origin, a size limit).
	 */
	private void checkEveryBlockNamesAnEndpoint(Map<String, String> beansByName) {
		for (String key : this.properties.getEndpoints().keySet()) {
			if (beansByName.keySet().stream().noneMatch((name) -> AutobahnWebSocketProperties.isKeyOf(key, name))) {
				String renamedTo = beansByName.entrySet()
					.stream()
					.filter((entry) -> AutobahnWebSocketProperties.isKeyOf(key, entry.getValue()))
					.map(Map.Entry::getKey)
					.findFirst()
					.orElse(null);
				throw new EndpointConfigurationException.UnknownName(key, List.copyOf(beansByName.keySet()), renamedTo);
			}
		}
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
				throw new EndpointConfigurationException.SslBundleConflict(port, first.name(), first.sslBundle(),
						endpoint.name(), endpoint.sslBundle());
			}
		}
	}

	@SuppressWarnings("unchecked")
	private Class<? extends WebSocketServerProtocol> protocolType(String beanName) {
		Class<?> type = this.beanFactory.getType(beanName);
		if (type == null || !WebSocketServerProtocol.class.isAssignableFrom(type)) {
			throw new EndpointConfigurationException.NotAProtocol(beanName, type);
		}
		return (Class<? extends WebSocketServerProtocol>) type;
	}

}
