package io.autobahn.spring.websocket.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

import io.autobahn.spring.websocket.core.ConnectionRegistry;

/**
 * Starts every {@link DedicatedPortServer} with the application context and stops them
 * with it. Once a server listens, the port it bound is published as
 * {@code local.autobahn.websocket.<endpoint>.port} for each of its endpoints (in a
 * {@code server.ports} property source first in the {@link Environment}, where Spring
 * Boot keeps {@code local.server.port}) and a {@link DedicatedPortServerInitializedEvent}
 * is published.
 * <p>
 * The servers stop after the {@link ConnectionRegistry} has closed every connection with
 * 1001, in the phase of the application's own web server.
 */
public class DedicatedPortServers implements SmartLifecycle {

	/**
	 * The phase of Spring Boot's web server lifecycle: below
	 * {@link ConnectionRegistry#PHASE}, so the servers stop once connections have been
	 * closed with 1001.
	 */
	public static final int PHASE = ConnectionRegistry.PHASE - 2048;

	private static final String PROPERTY_SOURCE_NAME = "server.ports";

	private final List<DedicatedPortServer> servers;

	private final Environment environment;

	private final ApplicationEventPublisher eventPublisher;

	private volatile boolean running;

	/**
	 * Create a new instance.
	 * @param servers the servers, one per dedicated port
	 * @param environment where to publish the bound ports
	 * @param eventPublisher publishes a {@link DedicatedPortServerInitializedEvent} per
	 * server
	 */
	public DedicatedPortServers(List<DedicatedPortServer> servers, Environment environment,
			ApplicationEventPublisher eventPublisher) {
		this.servers = List.copyOf(servers);
		this.environment = environment;
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Return the servers.
	 * @return the servers, one per dedicated port
	 */
	public List<DedicatedPortServer> getServers() {
		return this.servers;
	}

	/**
	 * Return the port an endpoint listens on.
	 * @param endpointName the endpoint's name
	 * @return the bound port (or the configured one while not running), or {@code -1} if
	 * the endpoint has no dedicated port
	 */
	public int getPort(String endpointName) {
		return this.servers.stream()
			.filter((server) -> server.getEndpointNames().contains(endpointName))
			.mapToInt(DedicatedPortServer::getPort)
			.findFirst()
			.orElse(-1);
	}

	@Override
	public void start() {
		List<DedicatedPortServer> started = new ArrayList<>();
		try {
			for (DedicatedPortServer server : this.servers) {
				server.start();
				started.add(server);
				publishPort(server);
				this.eventPublisher.publishEvent(new DedicatedPortServerInitializedEvent(server));
			}
		}
		catch (RuntimeException ex) {
			started.forEach(DedicatedPortServer::stop);
			throw ex;
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.servers.forEach(DedicatedPortServer::stop);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void publishPort(DedicatedPortServer server) {
		if (!(this.environment instanceof ConfigurableEnvironment configurable)) {
			return;
		}
		Map<String, Object> ports = portsSource(configurable.getPropertySources());
		for (String name : server.getEndpointNames()) {
			ports.put("local.autobahn.websocket." + name + ".port", server.getPort());
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> portsSource(MutablePropertySources sources) {
		PropertySource<?> source = sources.get(PROPERTY_SOURCE_NAME);
		if (source == null) {
			source = new MapPropertySource(PROPERTY_SOURCE_NAME, new HashMap<>());
			sources.addFirst(source);
		}
		return (Map<String, Object>) source.getSource();
	}

}
