package io.autobahn.spring.websocket.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * A mistake in how the application declares or configures its WebSocket endpoints, found
 * at startup. Each subclass carries the facts of one kind of mistake; the message is the
 * description of the failure and {@link #getAction()} says how to fix it, which
 * {@code EndpointConfigurationFailureAnalyzer} reports in Spring Boot's "APPLICATION
 * FAILED TO START" format. Invalid values of the configuration properties are not
 * reported through this type but by Spring Boot itself, with the property, its value and
 * its origin.
 */
public abstract sealed class EndpointConfigurationException extends RuntimeException {

	private EndpointConfigurationException(String description) {
		super(description);
	}

	private EndpointConfigurationException(String description, @Nullable Throwable cause) {
		super(description, cause);
	}

	/**
	 * Return what the user should do to fix the mistake.
	 * @return the action, as Spring Boot's failure report prints it
	 */
	public abstract String getAction();

	/**
	 * Return the configuration properties the mistake lies in, if any, so that the report
	 * can say where they were set.
	 * @return the name of the properties' common prefix, or {@code null}
	 */
	public @Nullable String getPropertyPrefix() {
		return null;
	}

	private static String quoted(List<String> names) {
		return names.stream().map((name) -> "'" + name + "'").collect(Collectors.joining(", "));
	}

	/**
	 * A {@link WebSocketEndpoint @WebSocketEndpoint} bean, or a bean of a client protocol
	 * class, is declared with a scope other than prototype.
	 */
	public static final class NotPrototype extends EndpointConfigurationException {

		private final String beanName;

		private final String scope;

		private final boolean client;

		NotPrototype(String beanName, String scope) {
			this(beanName, scope, false);
		}

		NotPrototype(String beanName, String scope, boolean client) {
			super(client ? "WebSocket client bean '" + beanName + "' is declared with scope '" + scope
					+ "', but the beans of WebSocketClientProtocol classes must be prototype-scoped: the connector "
					+ "creates one protocol instance per connection (and per reconnect) and keeps each connection's "
					+ "state in its fields."
					: "WebSocket endpoint bean '" + beanName + "' is declared with scope '" + scope
							+ "', but @WebSocketEndpoint beans must be prototype-scoped: the starter creates one "
							+ "protocol instance per connection and keeps each connection's state in its fields.");
			this.beanName = beanName;
			this.scope = scope;
			this.client = client;
		}

		@Override
		public String getAction() {
			return "Remove the @Scope annotation from '" + this.beanName + "' (or use @Scope(\"prototype\")). Keep "
					+ "state that connections share in a separate singleton bean and inject it into the "
					+ (this.client ? "client protocol." : "endpoint.");
		}

		/**
		 * Return the name of the endpoint's bean.
		 * @return the name of the endpoint's bean
		 */
		public String getBeanName() {
			return this.beanName;
		}

		/**
		 * Return the scope the bean is declared with.
		 * @return the scope the bean is declared with
		 */
		public String getScope() {
			return this.scope;
		}

	}

	/**
	 * A bean annotated with {@link WebSocketEndpoint @WebSocketEndpoint} does not extend
	 * {@link WebSocketServerProtocol}.
	 */
	public static final class NotAProtocol extends EndpointConfigurationException {

		private final String beanName;

		private final String typeName;

		NotAProtocol(String beanName, @Nullable Class<?> type) {
			this(beanName, (type != null) ? type.getName() : "its type");
		}

		private NotAProtocol(String beanName, String typeName) {
			super("Bean '" + beanName + "' is annotated with @WebSocketEndpoint, but " + typeName + " does not extend "
					+ WebSocketServerProtocol.class.getName() + ".");
			this.beanName = beanName;
			this.typeName = typeName;
		}

		@Override
		public String getAction() {
			return "Make " + this.typeName + " extend " + WebSocketServerProtocol.class.getSimpleName()
					+ ", or remove @WebSocketEndpoint from bean '" + this.beanName + "'.";
		}

		/**
		 * Return the name of the endpoint's bean.
		 * @return the name of the endpoint's bean
		 */
		public String getBeanName() {
			return this.beanName;
		}

	}

	/**
	 * An endpoint has no path: neither its annotation nor its properties give one.
	 */
	public static final class NoPath extends EndpointConfigurationException {

		private final String endpointName;

		NoPath(String endpointName, Class<?> type) {
			super("WebSocket endpoint '" + endpointName + "' (" + type.getName() + ") has no path.");
			this.endpointName = endpointName;
		}

		@Override
		public String getAction() {
			return "Give it a path with @WebSocketEndpoint(\"/path\") or with the property "
					+ AutobahnWebSocketProperties.endpointKey(this.endpointName) + ".path.";
		}

		/**
		 * Return the endpoint's name.
		 * @return the endpoint's name
		 */
		public String getEndpointName() {
			return this.endpointName;
		}

	}

	/**
	 * An endpoint's protocol overrides receiving hooks that the starter would never call:
	 * {@code onMessage} beside {@code onMessageFrameData} (a protocol that streams gets
	 * its messages frame by frame only), or another streaming hook without
	 * {@code onMessageFrameData} (a protocol streams only when it overrides that one).
	 */
	public static final class UncalledHooks extends EndpointConfigurationException {

		private final String endpointName;

		private final List<String> hooks;

		UncalledHooks(String endpointName, Class<?> type, boolean streams, List<String> hooks) {
			super("WebSocket endpoint '" + endpointName + "' (" + type.getName() + ") overrides "
					+ String.join(" and ", hooks) + ", which would never be called: "
					+ (streams
							? "it overrides onMessageFrameData, so it gets its messages frame by frame, "
									+ "through the streaming hooks, and never whole through onMessage."
							: "a protocol gets its messages frame by frame, through the streaming hooks, only when it "
									+ "overrides onMessageFrameData(ByteBuffer), and whole through onMessage otherwise."));
			this.endpointName = endpointName;
			this.hooks = List.copyOf(hooks);
		}

		@Override
		public String getAction() {
			return "Receive each message one way: override onMessage(byte[], boolean) or onMessage(ByteBuffer, "
					+ "boolean) for whole messages, or onMessageFrameData(ByteBuffer) (with onMessageBegin, "
					+ "onMessageFrameBegin, onMessageFrameEnd and onMessageEnd as needed) to stream them, in '"
					+ this.endpointName + "'.";
		}

		/**
		 * Return the endpoint's name.
		 * @return the endpoint's name
		 */
		public String getEndpointName() {
			return this.endpointName;
		}

		/**
		 * Return the hooks that would never be called.
		 * @return the hooks, such as {@code onMessage(byte[], boolean)}
		 */
		public List<String> getHooks() {
			return this.hooks;
		}

	}

	/**
	 * Two endpoints have the same name, which is their key in the configuration.
	 */
	public static final class DuplicateName extends EndpointConfigurationException {

		private final String endpointName;

		private final List<String> beanNames;

		DuplicateName(String endpointName, String beanName, String otherBeanName) {
			super("WebSocket endpoint beans '" + beanName + "' and '" + otherBeanName + "' are both named '"
					+ endpointName + "'. An endpoint's name is its key under "
					+ AutobahnWebSocketProperties.ENDPOINTS_PREFIX + ", so it must be unique.");
			this.endpointName = endpointName;
			this.beanNames = List.of(beanName, otherBeanName);
		}

		@Override
		public String getAction() {
			return "Give one of them another name with @WebSocketEndpoint(name = \"...\").";
		}

		/**
		 * Return the endpoint's name.
		 * @return the endpoint's name
		 */
		public String getEndpointName() {
			return this.endpointName;
		}

		/**
		 * Return the names of the two beans.
		 * @return the names of the two beans
		 */
		public List<String> getBeanNames() {
			return this.beanNames;
		}

	}

	/**
	 * Two endpoints are mapped to the same path.
	 */
	public static final class DuplicatePath extends EndpointConfigurationException {

		private final String path;

		private final List<String> endpointNames;

		DuplicatePath(String path, String endpointName, String otherEndpointName) {
			super("WebSocket endpoints '" + endpointName + "' and '" + otherEndpointName + "' are both mapped to path '"
					+ path + "'.");
			this.path = path;
			this.endpointNames = List.of(endpointName, otherEndpointName);
		}

		@Override
		public String getAction() {
			String other = this.endpointNames.get(1);
			return "Give one of them another path: on its class, with @WebSocketEndpoint(\"/another-path\"), or "
					+ "with the property " + AutobahnWebSocketProperties.endpointKey(other) + ".path.";
		}

		/**
		 * Return the path.
		 * @return the path
		 */
		public String getPath() {
			return this.path;
		}

		/**
		 * Return the names of the endpoints.
		 * @return the names of the endpoints
		 */
		public List<String> getEndpointNames() {
			return this.endpointNames;
		}

	}

	/**
	 * The configuration has a block under {@code autobahn.websocket.endpoints} whose key
	 * names no endpoint, so its settings would be lost.
	 */
	public static final class UnknownName extends EndpointConfigurationException {

		private final String key;

		private final List<String> endpointNames;

		private final @Nullable String renamedTo;

		/**
		 * Create a new instance.
		 * @param key the key as written
		 * @param endpointNames the names of the endpoints that exist
		 * @param renamedTo the name of the endpoint whose bean name is the key, or
		 * {@code null}
		 */
		UnknownName(String key, List<String> endpointNames, @Nullable String renamedTo) {
			super(describe(key, endpointNames, renamedTo));
			this.key = key;
			this.endpointNames = List.copyOf(endpointNames);
			this.renamedTo = renamedTo;
		}

		private static String describe(String key, List<String> endpointNames, @Nullable String renamedTo) {
			String description = "The settings under " + AutobahnWebSocketProperties.ENDPOINTS_PREFIX + "." + key
					+ " belong to no WebSocket endpoint, so they would be ignored. ";
			if (renamedTo != null) {
				return description + "'" + key + "' is the bean name of the endpoint named '" + renamedTo
						+ "' (by @WebSocketEndpoint(name = \"" + renamedTo + "\")), and settings go by the name.";
			}
			return description + (endpointNames.isEmpty() ? "The application has no endpoints."
					: "The endpoints are: " + quoted(endpointNames) + ".");
		}

		@Override
		public String getAction() {
			if (this.renamedTo != null) {
				return "Move the settings to " + AutobahnWebSocketProperties.endpointKey(this.renamedTo) + ".";
			}
			return "Correct the endpoint name in the key (it is the endpoint's bean name, or the name its "
					+ "@WebSocketEndpoint(name = ...) gives), or remove the settings.";
		}

		@Override
		public String getPropertyPrefix() {
			return AutobahnWebSocketProperties.ENDPOINTS_PREFIX + "." + this.key;
		}

		/**
		 * Return the key under {@code autobahn.websocket.endpoints}, as written.
		 * @return the key under {@code autobahn.websocket.endpoints}, as written
		 */
		public String getKey() {
			return this.key;
		}

		/**
		 * Return the names of the endpoints.
		 * @return the names of the endpoints
		 */
		public List<String> getEndpointNames() {
			return this.endpointNames;
		}

	}

	/**
	 * An endpoint has a dedicated port, but the libraries that serve dedicated ports are
	 * missing.
	 */
	public static final class DedicatedPortDependencyMissing extends EndpointConfigurationException {

		private final String endpointName;

		private final List<String> missingArtifacts;

		DedicatedPortDependencyMissing(String endpointName, int port, List<String> missingArtifacts) {
			super("WebSocket endpoint '" + endpointName + "' has a dedicated port (" + port
					+ "), which is served by Reactor Netty, but " + String.join(" and ", missingArtifacts)
					+ ((missingArtifacts.size() == 1) ? " is" : " are") + " not on the classpath.");
			this.endpointName = endpointName;
			this.missingArtifacts = List.copyOf(missingArtifacts);
		}

		@Override
		public String getAction() {
			return "Add " + String.join(" and ", this.missingArtifacts) + " to the application's dependencies, "
					+ "or remove " + AutobahnWebSocketProperties.endpointKey(this.endpointName)
					+ ".port to serve the endpoint on the application's server port.";
		}

		/**
		 * Return the coordinates of each missing artifact.
		 * @return the coordinates of each missing artifact
		 */
		public List<String> getMissingArtifacts() {
			return this.missingArtifacts;
		}

	}

	/**
	 * An endpoint has a dedicated port, but the application has no server for dedicated
	 * ports: it was processed ahead of time without any endpoint on a dedicated port (the
	 * condition that adds those servers is evaluated at build time then), or the
	 * auto-configuration that adds them is excluded.
	 */
	public static final class DedicatedPortNotServed extends EndpointConfigurationException {

		private final String endpointName;

		private final boolean aheadOfTime;

		DedicatedPortNotServed(String endpointName, int port, boolean aheadOfTime) {
			super("WebSocket endpoint '" + endpointName + "' has a dedicated port (" + port + "), but "
					+ (aheadOfTime ? "the application was processed ahead of time (it runs with "
							+ "spring.aot.enabled=true) from a configuration in which no endpoint had a port, so it "
							+ "has no server for dedicated ports"
							: "the application has no server for dedicated ports ("
									+ AutobahnDedicatedPortAutoConfiguration.class.getSimpleName()
									+ " is excluded and no DedicatedPortServers bean is declared)")
					+ ", and the endpoint would be served nowhere.");
			this.endpointName = endpointName;
			this.aheadOfTime = aheadOfTime;
		}

		@Override
		public String getAction() {
			String key = AutobahnWebSocketProperties.endpointKey(this.endpointName);
			if (this.aheadOfTime) {
				return "Set " + key + ".port in the configuration that ahead-of-time processing reads at build time "
						+ "(application.yml, or a profile active then) and build the application again: whether "
						+ "dedicated ports are served is decided then, while the port number may still be changed "
						+ "at run time. Or remove " + key + ".port to serve the endpoint on the application's "
						+ "server port.";
			}
			return "Remove " + AutobahnDedicatedPortAutoConfiguration.class.getName() + " from the excluded "
					+ "auto-configurations, or remove " + key + ".port to serve the endpoint on the application's "
					+ "server port.";
		}

		@Override
		public String getPropertyPrefix() {
			return AutobahnWebSocketProperties.endpointKey(this.endpointName);
		}

		/**
		 * Return whether the application runs ahead-of-time processed.
		 * @return whether it runs with {@code spring.aot.enabled=true}
		 */
		public boolean isAheadOfTime() {
			return this.aheadOfTime;
		}

	}

	/**
	 * Two endpoints give the same dedicated port but different SSL bundles.
	 */
	public static final class SslBundleConflict extends EndpointConfigurationException {

		private final int port;

		private final List<String> endpointNames;

		SslBundleConflict(int port, String endpointName, @Nullable String sslBundle, String otherEndpointName,
				@Nullable String otherSslBundle) {
			super("WebSocket endpoints '" + endpointName + "' and '" + otherEndpointName + "' share port " + port
					+ " but not its ssl-bundle (" + describe(sslBundle) + " and " + describe(otherSslBundle)
					+ "): endpoints that give the same port share one server, and so its TLS.");
			this.port = port;
			this.endpointNames = List.of(endpointName, otherEndpointName);
		}

		private static String describe(@Nullable String sslBundle) {
			return (sslBundle != null) ? "'" + sslBundle + "'" : "none";
		}

		@Override
		public String getAction() {
			return "Give both endpoints the same ssl-bundle (" + AutobahnWebSocketProperties.ENDPOINTS_PREFIX
					+ ".<name>.ssl-bundle), or different ports.";
		}

		/**
		 * Return the port.
		 * @return the port
		 */
		public int getPort() {
			return this.port;
		}

		/**
		 * Return the names of the endpoints.
		 * @return the names of the endpoints
		 */
		public List<String> getEndpointNames() {
			return this.endpointNames;
		}

	}

	/**
	 * An endpoint names an SSL bundle that the application does not have.
	 */
	public static final class UnknownSslBundle extends EndpointConfigurationException {

		private final String endpointName;

		private final String sslBundle;

		UnknownSslBundle(String endpointName, String sslBundle, @Nullable Throwable cause) {
			super("WebSocket endpoint '" + endpointName + "' names ssl-bundle '" + sslBundle + "', but "
					+ ((cause != null) ? "the application has no SSL bundle of that name."
							: "the application has no SSL bundles (Spring Boot's SslAutoConfiguration is not active)."),
					cause);
			this.endpointName = endpointName;
			this.sslBundle = sslBundle;
		}

		@Override
		public String getAction() {
			return "Define the bundle under spring.ssl.bundle.jks." + this.sslBundle + " or spring.ssl.bundle.pem."
					+ this.sslBundle + ", or correct " + AutobahnWebSocketProperties.endpointKey(this.endpointName)
					+ ".ssl-bundle.";
		}

		/**
		 * Return the endpoint's name.
		 * @return the endpoint's name
		 */
		public String getEndpointName() {
			return this.endpointName;
		}

		/**
		 * Return the name of the SSL bundle.
		 * @return the name of the SSL bundle
		 */
		public String getSslBundle() {
			return this.sslBundle;
		}

	}

	/**
	 * {@code autobahn.websocket.client.transport} asks for Reactor Netty, which is not on
	 * the class path.
	 */
	public static final class ClientTransportMissing extends EndpointConfigurationException {

		ClientTransportMissing() {
			super("autobahn.websocket.client.transport is reactor-netty, but Reactor Netty's HTTP client "
					+ "(io.projectreactor.netty:reactor-netty-http) is not on the class path.");
		}

		@Override
		public String getAction() {
			return "Add io.projectreactor.netty:reactor-netty-http to the application's dependencies (the WebFlux "
					+ "starter brings it), or set autobahn.websocket.client.transport to auto or jdk (the JDK's "
					+ "java.net.http client, without permessage-deflate).";
		}

		@Override
		public String getPropertyPrefix() {
			return AutobahnWebSocketProperties.PREFIX + ".client";
		}

	}

	/**
	 * The cluster link through Redis is enabled, but the application has no Redis
	 * connection it can use: no Spring Data Redis, no single
	 * {@code RedisConnectionFactory}, or one that is not Lettuce's.
	 */
	public static final class ClusterLinkWithoutRedis extends EndpointConfigurationException {

		private static final String PREFIX = "autobahn.websocket.cluster.redis";

		ClusterLinkWithoutRedis(String why) {
			super(PREFIX + ".enabled is true, but " + why);
		}

		@Override
		public String getAction() {
			return "Add spring-boot-starter-data-redis (Spring Data Redis with Lettuce) and point spring.data.redis.* at "
					+ "your Redis, or set " + PREFIX + ".enabled=false.";
		}

		@Override
		public String getPropertyPrefix() {
			return PREFIX;
		}

	}

}
