package io.autobahn.spring.websocket.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultEventExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.ChannelBindException;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.util.Assert;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.handler.ResponseStatusExceptionHandler;

import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.reactive.BriefHttpMessageLogFactory;
import io.autobahn.spring.websocket.reactive.ReactiveEndpointHandler;

/**
 * A Reactor Netty server on one dedicated port that serves only the endpoints assigned to
 * it, each on its path through its {@link ReactiveEndpointHandler}, and answers
 * {@code 404} to every other request. With an {@link SslBundle} it serves wss only. A
 * connection that has not completed its opening handshake within the endpoints'
 * {@code open-handshake-timeout} is closed. The application's
 * {@link DedicatedPortServerCustomizer}s are applied, in order, to the Reactor Netty
 * server the starter has configured. Bad requests are answered with their status and
 * logged at DEBUG; a request Reactor Netty cannot decode gets one short WARN line from
 * Reactor Netty. The application's servlet and WebFlux filters (Spring Security's
 * included) do not apply here.
 */
public final class DedicatedPortServer {

	private static final Log logger = LogFactory.getLog(DedicatedPortServer.class);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private final int configuredPort;

	private final @Nullable InetAddress address;

	private final List<ServerEndpoint> endpoints;

	private final @Nullable SslBundle sslBundle;

	private final @Nullable ReactorResourceFactory resourceFactory;

	private final List<DedicatedPortServerCustomizer> customizers;

	private volatile @Nullable DisposableServer disposableServer;

	/**
	 * Create a server, not yet started.
	 * @param port the port to listen on ({@code 0} for a free port)
	 * @param address the address to bind, or {@code null} for every interface
	 * @param endpoints the endpoints it serves, with distinct paths
	 * @param sslBundle the SSL bundle for wss, or {@code null} for plain ws
	 * @param resourceFactory the application's Reactor Netty resources to run on (as its
	 * WebFlux server does), or {@code null} for Reactor Netty's global ones
	 */
	public DedicatedPortServer(int port, @Nullable InetAddress address, List<ServerEndpoint> endpoints,
			@Nullable SslBundle sslBundle, @Nullable ReactorResourceFactory resourceFactory) {
		this(port, address, endpoints, sslBundle, resourceFactory, List.of());
	}

	/**
	 * Create a server, not yet started, with customizers.
	 * @param port the port to listen on ({@code 0} for a free port)
	 * @param address the address to bind, or {@code null} for every interface
	 * @param endpoints the endpoints it serves, with distinct paths
	 * @param sslBundle the SSL bundle for wss, or {@code null} for plain ws
	 * @param resourceFactory the application's Reactor Netty resources to run on (as its
	 * WebFlux server does), or {@code null} for Reactor Netty's global ones
	 * @param customizers applied, in this order, to the {@link HttpServer} the starter
	 * has configured, before it binds
	 */
	public DedicatedPortServer(int port, @Nullable InetAddress address, List<ServerEndpoint> endpoints,
			@Nullable SslBundle sslBundle, @Nullable ReactorResourceFactory resourceFactory,
			List<DedicatedPortServerCustomizer> customizers) {
		this.configuredPort = port;
		this.address = address;
		this.endpoints = List.copyOf(endpoints);
		this.sslBundle = sslBundle;
		this.resourceFactory = resourceFactory;
		this.customizers = List.copyOf(customizers);
	}

	/**
	 * Bind the port and start serving.
	 * @throws DedicatedPortServerException if the port cannot be bound, naming it and its
	 * endpoints
	 */
	public void start() {
		if (this.disposableServer != null) {
			return;
		}
		try {
			this.disposableServer = createHttpServer().bindNow();
		}
		catch (ChannelBindException ex) {
			throw new DedicatedPortServerException(bindFailureMessage(ex), this.configuredPort, getEndpointNames(), ex);
		}
		logger.info("Autobahn WebSocket server started on port " + getPort() + (isSecure() ? " (wss)" : " (ws)")
				+ " for " + describeEndpoints());
	}

	/**
	 * Stop listening and close the connections that are still open. Connections of the
	 * endpoints have normally been closed with 1001 before, by the connection registry.
	 */
	public void stop() {
		DisposableServer server = this.disposableServer;
		if (server == null) {
			return;
		}
		this.disposableServer = null;
		try {
			server.disposeNow(STOP_TIMEOUT);
		}
		catch (IllegalStateException ex) {
			logger.debug("Autobahn WebSocket server on port " + this.configuredPort + " did not stop in time", ex);
		}
	}

	/**
	 * Return whether the server listens.
	 * @return whether it was started and not stopped
	 */
	public boolean isRunning() {
		return this.disposableServer != null;
	}

	/**
	 * Return the port the server listens on.
	 * @return the bound port, or the configured one while not running
	 */
	public int getPort() {
		DisposableServer server = this.disposableServer;
		return (server != null) ? server.port() : this.configuredPort;
	}

	/**
	 * Return the address the server binds.
	 * @return the address, or {@code null} for every interface
	 */
	public @Nullable InetAddress getAddress() {
		return this.address;
	}

	/**
	 * Return whether the server serves wss.
	 * @return whether it has an SSL bundle
	 */
	public boolean isSecure() {
		return this.sslBundle != null;
	}

	/**
	 * Return the names of the endpoints the server serves.
	 * @return the endpoint names
	 */
	public List<String> getEndpointNames() {
		return this.endpoints.stream().map((endpoint) -> endpoint.getDefinition().name()).toList();
	}

	private HttpServer createHttpServer() {
		Map<String, WebHandler> handlersByPath = new LinkedHashMap<>();
		for (ServerEndpoint endpoint : this.endpoints) {
			handlersByPath.put(endpoint.getDefinition().path(), new ReactiveEndpointHandler(endpoint));
		}
		HttpHandler httpHandler = WebHttpHandlerBuilder.webHandler(new EndpointRouter(handlersByPath))
			// A status exception answers its status, logged at DEBUG (the checks answer
			// every bad request before Spring's handshake service could throw one).
			.exceptionHandler(new ResponseStatusExceptionHandler())
			.build();
		HttpServer server = HttpServer.create()
			.bindAddress(this::bindAddress)
			// Lets disposeNow close the connections still open, as Spring Boot's
			// NettyWebServer.
			.channelGroup(new DefaultChannelGroup(new DefaultEventExecutor()))
			.httpMessageLogFactory(BriefHttpMessageLogFactory.INSTANCE)
			.handle(new ReactorHttpHandlerAdapter(httpHandler));
		Duration timeout = openHandshakeTimeout();
		if (!timeout.isZero() && !timeout.isNegative()) {
			server = server.doOnChannelInit((observer, channel, remoteAddress) -> channel.pipeline()
				.addAfter(NettyPipeline.HttpCodec, OpenHandshakeTimeout.NAME, new OpenHandshakeTimeout(timeout)));
		}
		if (this.resourceFactory != null) {
			LoopResources resources = this.resourceFactory.getLoopResources();
			Assert.state(resources != null, "No LoopResources: is ReactorResourceFactory not initialized yet?");
			server = server.runOn(resources);
		}
		SslBundle bundle = this.sslBundle;
		if (bundle != null) {
			server = server.secure((spec) -> spec.sslContext(sslContextSpec(bundle)));
		}
		for (DedicatedPortServerCustomizer customizer : this.customizers) {
			server = customizer.customize(server);
		}
		return server;
	}

	private InetSocketAddress bindAddress() {
		return (this.address != null) ? new InetSocketAddress(this.address, this.configuredPort)
				: new InetSocketAddress(this.configuredPort);
	}

	/**
	 * As Spring Boot's {@code SslServerCustomizer} builds Reactor Netty's TLS from a
	 * bundle.
	 */
	private static Http11SslContextSpec sslContextSpec(SslBundle bundle) {
		return Http11SslContextSpec.forServer(bundle.getManagers().getKeyManagerFactory()).configure((builder) -> {
			builder.trustManager(bundle.getManagers().getTrustManagerFactory());
			SslOptions options = bundle.getOptions();
			builder.protocols(options.getEnabledProtocols());
			builder.ciphers(SslOptions.asSet(options.getCiphers()));
		});
	}

	private String bindFailureMessage(ChannelBindException ex) {
		String subject = "Port " + this.configuredPort + " of " + describeEndpoints();
		return isAddressInUse(ex) ? subject + " is already in use"
				: subject + " could not be bound (" + ex.getMessage() + ")";
	}

	private static boolean isAddressInUse(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			if (message != null && message.contains("in use")) {
				return true;
			}
		}
		return false;
	}

	private String describeEndpoints() {
		List<String> names = getEndpointNames();
		String quoted = names.stream().map((name) -> "'" + name + "'").collect(Collectors.joining(", "));
		return ((names.size() == 1) ? "WebSocket endpoint " : "WebSocket endpoints ") + quoted;
	}

	/**
	 * The port's deadline is set before the request names an endpoint: the longest of its
	 * endpoints' {@code open-handshake-timeout}, none when one of them has none
	 * ({@code 0}).
	 */
	private Duration openHandshakeTimeout() {
		List<Duration> timeouts = this.endpoints.stream()
			.map((endpoint) -> endpoint.getDefinition().settings().openHandshakeTimeout())
			.toList();
		if (timeouts.stream().anyMatch((timeout) -> timeout.isZero() || timeout.isNegative())) {
			return Duration.ZERO;
		}
		return timeouts.stream().max(Duration::compareTo).orElse(Duration.ZERO);
	}

}
