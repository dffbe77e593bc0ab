package io.autobahn.spring.websocket.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration properties for Autobahn-style WebSocket endpoints. The options at the top
 * level are the defaults of every endpoint; {@code endpoints.<name>} overrides them for
 * one endpoint, where the name is the endpoint's bean name (or the annotation's
 * {@code name}).
 * <p>
 * Bound strictly: a key that names no option, at the top level or in an endpoint's block,
 * fails startup, and so does a value out of its bounds (this class is the
 * {@link Validator} Spring Boot applies while binding, which reports the property, its
 * value and where it was set). Bound once at startup, then only read.
 */
@ConfigurationProperties(prefix = AutobahnWebSocketProperties.PREFIX, ignoreUnknownFields = false)
public class AutobahnWebSocketProperties extends WebSocketOptions implements Validator {

	/** The prefix of the properties. */
	public static final String PREFIX = "autobahn.websocket";

	/** The prefix of the endpoints' blocks, each under its endpoint's name. */
	public static final String ENDPOINTS_PREFIX = PREFIX + ".endpoints";

	/**
	 * Per-endpoint settings, by endpoint name.
	 */
	private Map<String, Endpoint> endpoints = new LinkedHashMap<>();

	/**
	 * Limits that all endpoints share.
	 */
	@NestedConfigurationProperty
	private final Application application = new Application();

	/**
	 * Several instances of the application as one.
	 */
	@NestedConfigurationProperty
	private final Cluster cluster = new Cluster();

	/**
	 * The application's WebSocket clients.
	 */
	@NestedConfigurationProperty
	private final ClientProperties client = new ClientProperties();

	public Map<String, Endpoint> getEndpoints() {
		return this.endpoints;
	}

	public void setEndpoints(Map<String, Endpoint> endpoints) {
		this.endpoints = endpoints;
	}

	public Application getApplication() {
		return this.application;
	}

	public ClientProperties getClient() {
		return this.client;
	}

	public Cluster getCluster() {
		return this.cluster;
	}

	/**
	 * Several instances of the application as one: broadcasts that reach the connections
	 * of every instance.
	 */
	public static class Cluster {

		/**
		 * The link through Redis pub/sub.
		 */
		@NestedConfigurationProperty
		private final Redis redis = new Redis();

		public Redis getRedis() {
			return this.redis;
		}

	}

	/**
	 * The cluster link through Redis pub/sub (Spring Data Redis with Lettuce, connected
	 * as spring.data.redis.* says).
	 */
	public static class Redis {

		/**
		 * Whether broadcasts whose filter is a ConnectionSelector (or none) also go to
		 * the other instances through Redis pub/sub, at most once.
		 */
		private boolean enabled;

		/**
		 * Prefix of the Redis channels: <prefix>endpoint:<name>, <prefix>all and
		 * <prefix>heartbeat. Instances with the same prefix on the same Redis form one
		 * cluster.
		 */
		private String channelPrefix = "autobahn:websocket:";

		/**
		 * This instance's id, unique among the instances. Not set: a random one per
		 * start.
		 */
		private @Nullable String instanceId;

		/**
		 * How often each instance tells the others it is there (with its open-connection
		 * count); the link is down when its own heartbeats are three intervals late and
		 * nothing else came from Redis either, or ten intervals late.
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(2);

		/**
		 * Most bytes of broadcasts waiting to be published (their payloads and
		 * envelopes); past it a broadcast reaches this instance's connections only, and
		 * counts as a publish failure.
		 */
		private DataSize publishBufferSizeLimit = DataSize.ofMegabytes(16);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getChannelPrefix() {
			return this.channelPrefix;
		}

		public void setChannelPrefix(String channelPrefix) {
			this.channelPrefix = channelPrefix;
		}

		public @Nullable String getInstanceId() {
			return this.instanceId;
		}

		public void setInstanceId(@Nullable String instanceId) {
			this.instanceId = instanceId;
		}

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public DataSize getPublishBufferSizeLimit() {
			return this.publishBufferSizeLimit;
		}

		public void setPublishBufferSizeLimit(DataSize publishBufferSizeLimit) {
			this.publishBufferSizeLimit = publishBufferSizeLimit;
		}

		/**
		 * Reject an interval or a buffer size that is not positive, and an empty instance
		 * id.
		 * @param errors the errors of the binding being validated
		 */
		void validate(Errors errors) {
			WebSocketOptions.check(errors, "heartbeatInterval", this.heartbeatInterval,
					(interval) -> interval.toMillis() > 0, "must be at least 1ms");
			WebSocketOptions.check(errors, "publishBufferSizeLimit", this.publishBufferSizeLimit,
					(size) -> size.toBytes() > 0, "must be positive");
			WebSocketOptions.check(errors, "instanceId", this.instanceId, StringUtils::hasText,
					"must not be empty (leave it unset for a random one)");
		}

	}

	/**
	 * Limits on what the connections of all endpoints hold together.
	 */
	public static class Application {

		/**
		 * Most connections open at once across all endpoints; past it a new handshake
		 * gets 503 before onConnect. Not set: no limit (the container's own connection
		 * limit, such as server.tomcat.max-connections, still applies).
		 */
		private @Nullable Integer maxConnections;

		/**
		 * Most bytes all partly received messages may hold together (inflated bytes
		 * counted); a message that would pass it closes its connection with 1013. Not
		 * set: a quarter of the maximum heap (-Xmx).
		 */
		private @Nullable DataSize inboundBudget;

		/**
		 * Most bytes all send queues may hold together (on Reactor Netty also the bytes
		 * handed to the channel and not yet written); a send past it drops its
		 * connection. Not set: a quarter of the maximum heap (-Xmx).
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

		/**
		 * Reject a limit that is set but not positive.
		 * @param errors the errors of the binding being validated
		 */
		void validate(Errors errors) {
			WebSocketOptions.check(errors, "maxConnections", this.maxConnections, (count) -> count > 0,
					"must be positive (leave it unset for no limit)");
			WebSocketOptions.check(errors, "inboundBudget", this.inboundBudget, (size) -> size.toBytes() > 0,
					"must be positive (leave it unset for a quarter of the maximum heap)");
			WebSocketOptions.check(errors, "outboundBudget", this.outboundBudget, (size) -> size.toBytes() > 0,
					"must be positive (leave it unset for a quarter of the maximum heap)");
		}

	}

	/**
	 * Return the block of the endpoint with the given name.
	 * @param endpointName the endpoint's name
	 * @return its block, or {@code null} if the configuration has none
	 */
	public @Nullable Endpoint getEndpoint(String endpointName) {
		for (Map.Entry<String, Endpoint> entry : this.endpoints.entrySet()) {
			if (isKeyOf(entry.getKey(), endpointName)) {
				// Keys that differ only in spelling (echo-server-protocol,
				// echoServerProtocol)
				// are bound from the same properties: any one of them has the settings.
				return entry.getValue();
			}
		}
		return null;
	}

	/**
	 * Return whether a key under {@code endpoints} names the given endpoint, by Spring
	 * Boot's relaxed rules: {@code echo-server-protocol}, {@code echoServerProtocol} and
	 * {@code echoserverprotocol} (an environment variable) all name the endpoint
	 * {@code echoServerProtocol}.
	 * @param key the key as written
	 * @param endpointName the endpoint's name
	 * @return whether the key names the endpoint
	 */
	static boolean isKeyOf(String key, String endpointName) {
		return uniform(key).equals(uniform(endpointName));
	}

	private static String uniform(String name) {
		StringBuilder uniform = new StringBuilder(name.length());
		name.chars().filter(Character::isLetterOrDigit).map(Character::toLowerCase).forEach(uniform::appendCodePoint);
		return uniform.toString();
	}

	/**
	 * Return the canonical key of an endpoint's block: {@code echoServerProtocol} has
	 * {@code autobahn.websocket.endpoints.echo-server-protocol}.
	 * @param endpointName the endpoint's name
	 * @return the full key, for messages
	 */
	static String endpointKey(String endpointName) {
		StringBuilder key = new StringBuilder(ENDPOINTS_PREFIX).append('.');
		int start = key.length();
		for (char c : endpointName.toCharArray()) {
			if (Character.isUpperCase(c)) {
				if (key.length() > start) {
					key.append('-');
				}
				key.append(Character.toLowerCase(c));
			}
			else {
				key.append(Character.isLetterOrDigit(c) ? c : '-');
			}
		}
		return key.toString();
	}

	/**
	 * Spring Boot's binder offers this validator every object it binds: the top-level
	 * options, the application's limits, each endpoint's block, the clients' options and
	 * their reconnect policy, each under its own property name.
	 */
	@Override
	public boolean supports(Class<?> type) {
		return WebSocketOptions.class.isAssignableFrom(type) || Application.class.isAssignableFrom(type)
				|| ClientProperties.class.isAssignableFrom(type)
				|| ClientProperties.Reconnect.class.isAssignableFrom(type) || Redis.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		if (target instanceof Application application) {
			application.validate(errors);
		}
		else if (target instanceof ClientProperties client) {
			client.validate(errors);
		}
		else if (target instanceof ClientProperties.Reconnect reconnect) {
			reconnect.validate(errors);
		}
		else if (target instanceof Redis redis) {
			redis.validate(errors);
		}
		else {
			((WebSocketOptions) target).validate(errors);
		}
	}

	/**
	 * The settings of one endpoint: where it is served, and any option of
	 * {@link WebSocketOptions}, which then overrides the top-level value for this
	 * endpoint.
	 */
	public static class Endpoint extends WebSocketOptions {

		/**
		 * Path the endpoint is served on, overriding the annotation's.
		 */
		private @Nullable String path;

		/**
		 * Port the endpoint listens on instead of the application's server port, on a
		 * Reactor Netty server of its own (0 for a free port). Endpoints that give the
		 * same port, 0 included, share that server. Not set: served on the application's
		 * server port.
		 */
		private @Nullable Integer port;

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) that secures the endpoint's
		 * dedicated port, which then serves wss only. Requires a port; endpoints sharing
		 * a port must name the same bundle.
		 */
		private @Nullable String sslBundle;

		/**
		 * Create a block in which no option is set.
		 */
		public Endpoint() {
			clear();
		}

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

		@Override
		void validate(Errors errors) {
			super.validate(errors);
			check(errors, "port", this.port, (port) -> port >= 0 && port <= 65535, "must be between 0 and 65535");
			if (StringUtils.hasText(this.sslBundle) && this.port == null) {
				errors.rejectValue("sslBundle", "withoutPort", "needs a dedicated port: set " + errors.getObjectName()
						+ ".port too (the application's own port is secured with server.ssl.*)");
			}
		}

	}

}
