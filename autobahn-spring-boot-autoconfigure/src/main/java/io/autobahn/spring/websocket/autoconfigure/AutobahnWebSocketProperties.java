package io.autobahn.spring.websocket.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

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

	public Map<String, Endpoint> getEndpoints() {
		return this.endpoints;
	}

	public void setEndpoints(Map<String, Endpoint> endpoints) {
		this.endpoints = endpoints;
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
