package io.autobahn.spring.websocket.client;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

import io.autobahn.spring.websocket.ReconnectPolicy;
import io.autobahn.spring.websocket.ReconnectingConnection;
import io.autobahn.spring.websocket.WebSocketClientOptions;
import io.autobahn.spring.websocket.WebSocketClientProtocol;
import io.autobahn.spring.websocket.WebSocketConnector;
import io.autobahn.spring.websocket.core.Budget;
import io.autobahn.spring.websocket.core.ConnectionRegistry;
import io.autobahn.spring.websocket.core.EndpointBudgets;
import io.autobahn.spring.websocket.core.EndpointObserver;
import io.autobahn.spring.websocket.core.EndpointObservers;
import io.autobahn.spring.websocket.core.WebSocketBudgets;

/**
 * The starter's {@link WebSocketConnector}: connects through one {@link ClientTransport},
 * registers its connections in the application's {@link ConnectionRegistry} under each
 * client's name, counts their buffered bytes against the application's budgets, and times
 * them with the application's WebSocket timer. When the application stops
 * ({@link SmartLifecycle}, before the registry, which closes the open connections with
 * 1001), it stops reconnecting and gives up the connects in progress; connects asked for
 * afterwards fail at once. Thread-safe; one per application context.
 */
public class DefaultWebSocketConnector implements WebSocketConnector, SmartLifecycle {

	private final ClientTransport transport;

	private final ClientProtocols protocols;

	private final ConnectionRegistry registry;

	private final ScheduledExecutorService timer;

	private final WebSocketBudgets budgets;

	private final WebSocketClientOptions defaultOptions;

	private final ReconnectPolicy defaultReconnectPolicy;

	private final @Nullable ApplicationEventPublisher eventPublisher;

	private final EndpointObservers observers;

	private final Map<String, EndpointBudgets> clientBudgets = new ConcurrentHashMap<>();

	private final Map<String, EndpointObserver> clientObservers = new ConcurrentHashMap<>();

	private final Set<ClientConnect<?>> connecting = ConcurrentHashMap.newKeySet();

	private final Set<ReconnectLoop<?>> reconnecting = ConcurrentHashMap.newKeySet();

	private volatile boolean running = true;

	/**
	 * Create a connector.
	 * @param transport connects
	 * @param protocols makes the instances of the connects that name a class
	 * @param registry where the connections are registered while open
	 * @param timer runs the open handshake timeouts, auto-pings, close timeouts and
	 * reconnect waits
	 * @param budgets the application's budgets, which the connections' buffered bytes
	 * count against
	 * @param defaultOptions the options of the connects that give none
	 * @param defaultReconnectPolicy the policy of the reconnects that give none
	 * @param eventPublisher publishes a {@code WebSocketReconnectingEvent} before each
	 * reconnect attempt, or {@code null} for none
	 */
	public DefaultWebSocketConnector(ClientTransport transport, ClientProtocols protocols, ConnectionRegistry registry,
			ScheduledExecutorService timer, WebSocketBudgets budgets, WebSocketClientOptions defaultOptions,
			ReconnectPolicy defaultReconnectPolicy, @Nullable ApplicationEventPublisher eventPublisher) {
		this(transport, protocols, registry, timer, budgets, defaultOptions, defaultReconnectPolicy, eventPublisher,
				EndpointObservers.NONE);
	}

	/**
	 * Create a connector whose connections are observed, for metrics.
	 * @param transport connects
	 * @param protocols makes the instances of the connects that name a class
	 * @param registry where the connections are registered while open
	 * @param timer runs the open handshake timeouts, auto-pings, close timeouts and
	 * reconnect waits
	 * @param budgets the application's budgets, which the connections' buffered bytes
	 * count against
	 * @param defaultOptions the options of the connects that give none
	 * @param defaultReconnectPolicy the policy of the reconnects that give none
	 * @param eventPublisher publishes a {@code WebSocketReconnectingEvent} before each
	 * reconnect attempt, or {@code null} for none
	 * @param observers give each client name its observer (side {@code client}), asked
	 * once per name
	 */
	public DefaultWebSocketConnector(ClientTransport transport, ClientProtocols protocols, ConnectionRegistry registry,
			ScheduledExecutorService timer, WebSocketBudgets budgets, WebSocketClientOptions defaultOptions,
			ReconnectPolicy defaultReconnectPolicy, @Nullable ApplicationEventPublisher eventPublisher,
			EndpointObservers observers) {
		this.observers = observers;
		this.transport = transport;
		this.protocols = protocols;
		this.registry = registry;
		this.timer = timer;
		this.budgets = budgets;
		this.defaultOptions = defaultOptions;
		this.defaultReconnectPolicy = defaultReconnectPolicy;
		this.eventPublisher = eventPublisher;
	}

	@Override
	public WebSocketClientOptions getDefaultOptions() {
		return this.defaultOptions;
	}

	@Override
	public ReconnectPolicy getDefaultReconnectPolicy() {
		return this.defaultReconnectPolicy;
	}

	@Override
	public <P extends WebSocketClientProtocol> CompletableFuture<P> connect(URI uri, WebSocketClientOptions options,
			Class<P> protocolClass) {
		return start(uri, options, () -> this.protocols.create(protocolClass), this.protocols::destroy,
				nameOf(options, protocolClass), null)
			.result();
	}

	@Override
	public <P extends WebSocketClientProtocol> CompletableFuture<P> connect(URI uri, WebSocketClientOptions options,
			Supplier<? extends P> protocolFactory) {
		return this.<P>start(uri, options, protocolFactory, (protocol) -> {
		}, options.getName(), null).result();
	}

	@Override
	public <P extends WebSocketClientProtocol> ReconnectingConnection<P> connectWithReconnect(URI uri,
			WebSocketClientOptions options, ReconnectPolicy policy, Class<P> protocolClass) {
		return reconnect(uri, options, policy, () -> this.protocols.create(protocolClass), this.protocols::destroy,
				nameOf(options, protocolClass));
	}

	@Override
	public <P extends WebSocketClientProtocol> ReconnectingConnection<P> connectWithReconnect(URI uri,
			WebSocketClientOptions options, ReconnectPolicy policy, Supplier<? extends P> protocolFactory) {
		return reconnect(uri, options, policy, protocolFactory, (protocol) -> {
		}, options.getName());
	}

	private String nameOf(WebSocketClientOptions options, Class<?> protocolClass) {
		String name = options.getName();
		return (name != null) ? name : this.protocols.nameOf(protocolClass);
	}

	private <P extends WebSocketClientProtocol> ReconnectingConnection<P> reconnect(URI uri,
			WebSocketClientOptions options, ReconnectPolicy policy, Supplier<? extends P> factory,
			Consumer<WebSocketClientProtocol> disposer, @Nullable String name) {
		checkUri(uri);
		ReconnectLoop<P> loop = new ReconnectLoop<>(this, uri, options, policy, factory, disposer, name);
		this.reconnecting.add(loop);
		loop.start();
		return loop;
	}

	/**
	 * Start one connect.
	 */
	<P extends WebSocketClientProtocol> ClientConnect<P> start(URI uri, WebSocketClientOptions options,
			Supplier<? extends P> factory, Consumer<WebSocketClientProtocol> disposer, @Nullable String name,
			ClientConnect.@Nullable CloseListener closeListener) {
		checkUri(uri);
		ClientConnect<P> connect = new ClientConnect<>(this, uri, options, factory, disposer, name, closeListener);
		this.connecting.add(connect);
		if (!this.running) {
			connect.giveUp(connect.stopping());
			return connect;
		}
		connect.start();
		return connect;
	}

	private static void checkUri(URI uri) {
		String scheme = uri.getScheme();
		if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
			throw new IllegalArgumentException("A WebSocket URI starts with ws:// or wss://, got " + uri);
		}
		if (uri.getHost() == null) {
			throw new IllegalArgumentException("A WebSocket URI needs a host, got " + uri);
		}
	}

	/** A connect is decided: it no longer needs stopping. */
	void finished(ClientConnect<?> connect) {
		this.connecting.remove(connect);
	}

	/** A reconnect loop stopped for good. */
	void stopped(ReconnectLoop<?> loop) {
		this.reconnecting.remove(loop);
	}

	/**
	 * Return the budgets of a client's connections: an endpoint's of the same name, or
	 * the client's own, without limits of their own under the application's.
	 */
	EndpointBudgets budgets(String clientName) {
		return this.clientBudgets.computeIfAbsent(clientName, (name) -> {
			EndpointBudgets existing = this.budgets.getEndpoints().get(name);
			return (existing != null) ? existing
					: this.budgets.endpoint(name, Budget.UNLIMITED, Budget.UNLIMITED, Budget.UNLIMITED);
		});
	}

	/**
	 * Return the observer of a client's connections, asked of the observers once per
	 * name.
	 */
	EndpointObserver observer(String clientName) {
		return this.clientObservers.computeIfAbsent(clientName,
				(name) -> this.observers.forEndpoint(name, EndpointObservers.Side.CLIENT));
	}

	void publish(ApplicationEvent event) {
		if (this.eventPublisher != null) {
			this.eventPublisher.publishEvent(event);
		}
	}

	boolean isStopping() {
		return !this.running;
	}

	ClientTransport getTransport() {
		return this.transport;
	}

	ConnectionRegistry getRegistry() {
		return this.registry;
	}

	ScheduledExecutorService getTimer() {
		return this.timer;
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Stop reconnecting and give up the connects in progress, before the registry closes
	 * the open connections (it stops after the beans that depend on it).
	 */
	@Override
	public void stop() {
		this.running = false;
		for (ReconnectLoop<?> loop : this.reconnecting) {
			loop.shutdown();
		}
		for (ClientConnect<?> connect : this.connecting) {
			connect.giveUp(connect.stopping());
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ConnectionRegistry.PHASE;
	}

	@Override
	public String toString() {
		return "DefaultWebSocketConnector[transport=" + this.transport.getName() + "]";
	}

}
