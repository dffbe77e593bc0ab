package io.autobahn.spring.websocket.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for Autobahn-style WebSocket endpoints. The options at the top
 * level are the defaults of every endpoint; {@code endpoints.<name>} overrides them for one
 * endpoint, where the name is the endpoint's bean name (or the annotation's {@code name}).
 */
@ConfigurationProperties("autobahn.websocket")
public class AutobahnWebSocketProperties extends WebSocketOptions {

	/**
	 * Per-endpoint settings, by endpoint name.
	 */
	private Map<String, Endpoint> endpoints = new LinkedHashMap<>();

	/**
	 * Limits that all endpoints share.
	 */
	@NestedConfigurationProperty
	private final Application application = new Application();

	public Map<String, Endpoint> getEndpoints() {
		return this.endpoints;
	}

	public void setEndpoints(Map<String, Endpoint> endpoints) {
		this.endpoints = endpoints;
	}

	public Application getApplication() {
		return this.application;
	}

	/**
	 * Limits on what the connections of all endpoints hold together.
	 */
	public static class Application {

		/**
		 * Most connections open at once across all endpoints; past it a new handshake gets
		 * 503 before onConnect. Not set: no limit (the container's own connection limit,
		 * such as server.tomcat.max-connections, still applies).
		 */
		private @Nullable Integer maxConnections;

		/**
		 * Most bytes all partly received messages may hold together (inflated bytes
		 * counted); a message that would pass it closes its connection with 1013. Not set: a
		 * quarter of the maximum heap (-Xmx).
		 */
		private @Nullable DataSize inboundBudget;

		/**
		 * Most bytes all send queues may hold together (on Reactor Netty also the bytes
		 * handed to the channel and not yet written); a send past it drops its connection.
		 * Not set: a quarter of the maximum heap (-Xmx).
		 */
		private @Nullable DataSize outboundBudget;

		public @Nullable Integer getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(@Nullable Integer maxConnections) {
			this.maxConnections = maxConnections;
		}

		public @Nullable DataSize getInboundBudget() {
			return this.inboundBudget;
		}

		public void setInboundBudget(@Nullable DataSize inboundBudget) {
			this.inboundBudget = inboundBudget;
		}

		public @Nullable DataSize getOutboundBudget() {
			return this.outboundBudget;
		}

		public void setOutboundBudget(@Nullable DataSize outboundBudget) {
			this.outboundBudget = outboundBudget;
		}

	}

	/**
	 * The settings of one endpoint: every option of {@link WebSocketOptions} plus where it
	 * is served.
	 */
	public static class Endpoint extends WebSocketOptions {

		/**
		 * Path the endpoint is served on, overriding the annotation's.
		 */
		private @Nullable String path;

		/**
		 * Port the endpoint listens on instead of the application's server port, on a
		 * Reactor Netty server of its own (0 for a free port). Endpoints that give the same
		 * port, 0 included, share that server. Not set: served on the application's server
		 * port.
		 */
		private @Nullable Integer port;

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) that secures the endpoint's dedicated
		 * port, which then serves wss only. Requires a port; endpoints sharing a port must
		 * name the same bundle.
		 */
		private @Nullable String sslBundle;

		public @Nullable String getPath() {
			return this.path;
		}

		public void setPath(@Nullable String path) {
			this.path = path;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public @Nullable String getSslBundle() {
			return this.sslBundle;
		}

		public void setSslBundle(@Nullable String sslBundle) {
			this.sslBundle = sslBundle;
		}

	}

}
