package io.autobahn.spring.websocket.behaviour;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.http.client.ReactorResourceFactory;

import io.autobahn.spring.websocket.Disconnected;
import io.autobahn.spring.websocket.ReconnectPolicy;
import io.autobahn.spring.websocket.ReconnectingConnection;
import io.autobahn.spring.websocket.WebSocketClient;
import io.autobahn.spring.websocket.WebSocketClientProtocol;
import io.autobahn.spring.websocket.WebSocketConnectException;
import io.autobahn.spring.websocket.WebSocketConnector;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketReconnectingEvent;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.core.ConnectionRegistry;
import io.autobahn.spring.websocket.test.Poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Reconnecting against a real server that is killed and restarted: a starter application
 * on a fixed free port, started and stopped by the test, and a client application (no web
 * server) whose connector reconnects. Over 20 cycles the client comes back every time
 * with a new protocol instance (none is reused), each attempt is announced with a
 * {@link WebSocketReconnectingEvent}, and at the end no thread, socket or registered
 * connection is left over; closing the client application stops reconnecting. Also: a
 * close the policy treats as final, and one the application makes itself, stop it; the
 * policy's attempts in a row give up with the last failure.
 * <p>
 * Client-side: each stack module runs it through a subclass that names the client
 * transport ({@link #transport()}), the server running on that module's stack.
 */
abstract class ReconnectTests {

	private static final Pattern SHARED_POOL = Pattern
		.compile("boundedElastic-\\d+|parallel-\\d+|ForkJoinPool\\.commonPool-worker-\\d+|HttpClient-\\d+-Worker-\\d+");

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final int CYCLES = 20;

	private static final ReconnectPolicy FAST = ReconnectPolicy.builder()
		.initialDelay(Duration.ofMillis(20))
		.maxDelay(Duration.ofMillis(200))
		.resetAfter(Duration.ofMillis(100))
		.build();

	private final int port = freePort();

	private @Nullable ConfigurableApplicationContext server;

	private @Nullable ConfigurableApplicationContext client;

	/**
	 * Return the client transport to run with.
	 * @return {@code jdk} or {@code reactor-netty}
	 */
	abstract String transport();

	@AfterEach
	void stopApplications() {
		stopServer();
		if (this.client != null) {
			this.client.close();
		}
	}

	@Test
	void comesBackAfterEveryRestartWithANewInstanceAndLeaksNothing() throws Exception {
		ConfigurableApplicationContext client = startClient();
		ReconnectingConnection<CountingClient> connection = connector(client).connectWithReconnect(uri(),
				connector(client).getDefaultOptions(), FAST, CountingClient.class);
		Set<CountingClient> instances = Collections.newSetFromMap(new IdentityHashMap<>());
		long threadsAfterFirstCycle = 0;
		long socketsAfterFirstCycle = 0;
		for (int cycle = 1; cycle <= CYCLES; cycle++) {
			startServer();
			CountingClient protocol = connection.whenOpen().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(instances.add(protocol)).as("cycle %d got a new instance", cycle).isTrue();
			protocol.sendMessage("ping " + cycle);
			Poll.until("the echo of cycle " + cycle, () -> protocol.messages.get() == 1, TIMEOUT);
			stopServer();
			Poll.until("the client saw the server go in cycle " + cycle, () -> protocol.closed.get() == 1, TIMEOUT);
			assertThat(protocol.opened.get()).isEqualTo(1);
			Poll.until("the client's registry is empty after cycle " + cycle, () -> registry(client).size() == 0,
					TIMEOUT);
			if (cycle == 1) {
				threadsAfterFirstCycle = liveThreads();
				socketsAfterFirstCycle = openSockets();
			}
		}
		assertThat(instances).hasSize(CYCLES);
		assertThat(connection.getConnectionCount()).isEqualTo(CYCLES);
		assertThat(events(client)).isNotEmpty()
			.allSatisfy((event) -> assertThat(event.getReason()).isInstanceOfAny(Disconnected.class,
					WebSocketConnectException.class));
		// The server is down: the client keeps trying, on the timer, without new threads
		// or sockets.
		assertThat(liveThreads())
			.as("live threads after %d cycles (%d after the first)", CYCLES, threadsAfterFirstCycle)
			.isLessThanOrEqualTo(threadsAfterFirstCycle + 2);
		long sockets = openSockets();
		assertThat(sockets).as("open sockets after %d cycles (%d after the first)", CYCLES, socketsAfterFirstCycle)
			.isLessThanOrEqualTo(socketsAfterFirstCycle + 2);
		List<WebSocketReconnectingEvent> events = events(client);
		client.close();
		connection.whenStopped().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(connection.isStopped()).isTrue();
		int eventsAtStop = events.size();
		startServer();
		Thread.sleep(500);
		assertThat(events).hasSize(eventsAtStop);
		assertThat(connection.getProtocol()).isNull();
	}

	@Test
	void aCloseThePolicyTreatsAsFinalStopsReconnecting() throws Exception {
		startServer();
		ConfigurableApplicationContext client = startClient();
		ReconnectingConnection<CountingClient> connection = connector(client).connectWithReconnect(uri(),
				connector(client).getDefaultOptions(), FAST.toBuilder().finalCloseCodes(Set.of(1008, 4100)).build(),
				CountingClient.class);
		CountingClient protocol = connection.whenOpen().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		protocol.sendMessage("close 4100");
		connection.whenStopped().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(protocol.closeCode).isEqualTo(4100);
		Thread.sleep(300);
		assertThat(connection.getConnectionCount()).isEqualTo(1);
		assertThat(events(client)).isEmpty();
	}

	@Test
	void aCloseTheApplicationMakesStopsReconnectingAndAServerCloseDoesNot() throws Exception {
		startServer();
		ConfigurableApplicationContext client = startClient();
		ReconnectingConnection<CountingClient> connection = connector(client).connectWithReconnect(uri(),
				connector(client).getDefaultOptions(), FAST, CountingClient.class);
		CountingClient first = connection.whenOpen().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		first.sendMessage("close 4000");
		Poll.until("a second connection after the server's 4000", () -> connection.getConnectionCount() == 2, TIMEOUT);
		CountingClient second = connection.whenOpen().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(second).isNotSameAs(first);
		assertThat(events(client)).singleElement()
			.satisfies((event) -> assertThat(event.getReason()).hasMessageContaining("4000"));
		second.sendClose(1000, "done");
		connection.whenStopped().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		Thread.sleep(300);
		assertThat(connection.getConnectionCount()).isEqualTo(2);
	}

	@Test
	void givesUpAfterThePolicysAttemptsWithTheLastFailure() throws Exception {
		ConfigurableApplicationContext client = startClient();
		ReconnectingConnection<CountingClient> connection = connector(client).connectWithReconnect(uri(),
				connector(client).getDefaultOptions(), FAST.toBuilder().maxAttempts(3).build(), CountingClient.class);
		ExecutionException stopped = assertThrows(ExecutionException.class,
				() -> connection.whenStopped().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
		Throwable failure = stopped.getCause();
		assertThat(failure).isInstanceOf(WebSocketConnectException.class);
		assertThat(((WebSocketConnectException) failure).getReason())
			.isEqualTo(WebSocketConnectException.Reason.CONNECTION_FAILED);
		assertThat(events(client)).extracting(WebSocketReconnectingEvent::getAttempt).containsExactly(1, 2, 3);
		assertThat(connection.whenOpen()).isCompletedExceptionally();
	}

	private URI uri() {
		return URI.create("ws://127.0.0.1:" + this.port + "/reconnect");
	}

	private void startServer() {
		this.server = new SpringApplicationBuilder(ServerApplication.class)
			.properties("server.address=127.0.0.1", "server.port=" + this.port, "spring.main.banner-mode=off",
					"autobahn.websocket.open-handshake-timeout=0", "spring.main.log-startup-info=false")
			.run();
	}

	private void stopServer() {
		ConfigurableApplicationContext server = this.server;
		if (server != null) {
			server.close();
			this.server = null;
		}
	}

	private ConfigurableApplicationContext startClient() {
		ConfigurableApplicationContext client = new SpringApplicationBuilder(ClientApplication.class)
			.web(WebApplicationType.NONE)
			.properties("autobahn.websocket.client.transport=" + transport(), "spring.main.banner-mode=off",
					"spring.main.log-startup-info=false")
			.run();
		this.client = client;
		return client;
	}

	private static WebSocketConnector connector(ConfigurableApplicationContext client) {
		return client.getBean(WebSocketConnector.class);
	}

	private static ConnectionRegistry registry(ConfigurableApplicationContext client) {
		return client.getBean(ConnectionRegistry.class);
	}

	private static List<WebSocketReconnectingEvent> events(ConfigurableApplicationContext client) {
		return client.getBean(ReconnectEvents.class).events;
	}

	/**
	 * The live threads, less those of the JVM's shared pools that grow on demand up to a
	 * bound set by the number of processors (Reactor's bounded-elastic and parallel
	 * schedulers, the common fork-join pool, the JDK HTTP client's idle workers): on a
	 * machine with many processors they keep growing for a while whatever the client
	 * does.
	 */
	private static long liveThreads() throws InterruptedException {
		// Let threads that were told to stop finish.
		Thread.sleep(200);
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> !SHARED_POOL.matcher(name).matches())
			.count();
	}

	/** The JVM's open sockets (Linux: the file descriptors that are sockets). */
	private static long openSockets() throws IOException {
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.filter((fd) -> {
				try {
					return Files.readSymbolicLink(fd).toString().startsWith("socket:");
				}
				catch (IOException ex) {
					return false;
				}
			}).count();
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ ReconnectEndpoint.class, OwnReactorResources.class })
	static class ServerApplication {

	}

	/**
	 * The server's own Reactor Netty resources: with the global ones (Spring Boot's
	 * default), closing the server's context disposes the event loops that the client's
	 * Reactor Netty transport, in the same JVM, uses too, and a connection the client had
	 * just opened to the next server was closed with them now and then.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "reactor.netty.http.HttpResources")
	static class OwnReactorResources {

		@Bean
		ReactorResourceFactory reactorResourceFactory() {
			ReactorResourceFactory factory = new ReactorResourceFactory();
			factory.setUseGlobalResources(false);
			return factory;
		}

	}

	/** Echoes, or closes with the code a {@code close <code>} message names. */
	@WebSocketEndpoint("/reconnect")
	static class ReconnectEndpoint extends WebSocketServerProtocol {

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			String text = new String(payload, StandardCharsets.UTF_8);
			if (text.startsWith("close ")) {
				sendClose(Integer.parseInt(text.substring(6)), "as asked");
			}
			else {
				sendMessage(payload, isBinary);
			}
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ CountingClient.class, ReconnectEvents.class })
	static class ClientApplication {

	}

	/** The reconnect events the client application published. */
	static class ReconnectEvents {

		final List<WebSocketReconnectingEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void reconnecting(WebSocketReconnectingEvent event) {
			this.events.add(event);
		}

	}

	/** Counts its own hooks: each instance must see one open and one close. */
	@WebSocketClient
	static class CountingClient extends WebSocketClientProtocol {

		final AtomicInteger opened = new AtomicInteger();

		final AtomicInteger messages = new AtomicInteger();

		final AtomicInteger closed = new AtomicInteger();

		volatile @Nullable Integer closeCode;

		@Override
		public void onOpen() {
			this.opened.incrementAndGet();
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			this.messages.incrementAndGet();
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			this.closeCode = code;
			this.closed.incrementAndGet();
		}

	}

}
