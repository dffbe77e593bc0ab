package io.autobahn.spring.websocket.behaviour;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.jayway.jsonpath.DocumentContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.autobahn.spring.websocket.BroadcastResult;
import io.autobahn.spring.websocket.ConnectionSelector;
import io.autobahn.spring.websocket.WebSocketConnections;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.cluster.RedisClusterLink;
import io.autobahn.spring.websocket.core.ConnectionRegistry;
import io.autobahn.spring.websocket.test.Actuator;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.LogCapture;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several instances as one through a real Redis
 * ({@code autobahn.websocket.cluster.redis}): three application instances in this JVM on
 * random ports, one {@code redis-server} process, 100 clients on each. A broadcast from
 * any instance reaches all 300 clients once, in the order each instance broadcast; a
 * selector by attribute travels, a predicate does not; garbage on the channels is counted
 * and dropped; Redis killed and started again mid-run takes every link down and back up
 * on its own, with what was broadcast meanwhile delivered locally only and counted, and
 * nothing delivered twice; an instance whose Redis is down at startup starts, broadcasts
 * locally, says so once, and links up when Redis comes; an instance whose clients stop
 * reading does not slow the others, and its own send bounds drop those clients. The
 * Actuator endpoint lists each instance's connections, the meters count the link. Tagged
 * {@code interop} (a third-party process: run with {@code -Pinterop}); fails with the
 * install command when {@code redis-server} is missing. Subclassed per container.
 */
@Tag("interop")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterBroadcastTests {

	static final Duration TIMEOUT = Duration.ofSeconds(20);

	static final int INSTANCES = 3;

	static final int CLIENTS = 100;

	static final String HEARTBEAT = "200ms";

	/** The slow instance's clients, which never read. */
	static final int SLOW_CLIENTS = 5;

	static final String SLOW_SEND_BUFFER = "256KB";

	/**
	 * The slow test's broadcasts to every client; after each, one of {@link #BULK_SIZE}
	 * to the stalled clients only.
	 */
	static final int SLOW_MESSAGES = 128;

	/**
	 * 128 x 64 KiB: twice what the kernel may buffer for a stalled connection (a 4 MiB
	 * send buffer, {@code tcp_wmem}'s usual maximum), so the starter has to hold or drop
	 * the rest.
	 */
	static final int BULK_SIZE = 64 * 1024;

	private final HttpClient httpClient = HttpClient.newHttpClient();

	private RedisServer redis;

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	/** What the tests started that is closed after the instances. */
	private final List<AutoCloseable> closeLast = new ArrayList<>();

	/** The clients of each instance; even ones are in room a, odd ones in room b. */
	private final List<List<JdkClient>> clients = new ArrayList<>();

	@BeforeAll
	void startRedisAndThreeInstancesWithTheirClients() throws Exception {
		this.redis = RedisServer.start();
		for (int i = 0; i < INSTANCES; i++) {
			this.instances.add(startInstance(this.redis.port(), "instance-" + i));
		}
		for (ConfigurableApplicationContext instance : this.instances) {
			Poll.until("the cluster link is up", () -> link(instance).isLinkUp(), TIMEOUT);
			List<JdkClient> connected = new ArrayList<>();
			for (int c = 0; c < CLIENTS; c++) {
				connected.add(JdkClient.connect(this.httpClient.newWebSocketBuilder(), port(instance),
						"/cluster?room=" + ((c % 2 == 0) ? "a" : "b")));
			}
			this.clients.add(connected);
			Poll.until("every client open", () -> registry(instance).size() == CLIENTS, TIMEOUT);
		}
		for (ConfigurableApplicationContext instance : this.instances) {
			Poll.until("every instance heard of the others",
					() -> link(instance).getInstanceConnections().size() == INSTANCES, TIMEOUT);
		}
	}

	@AfterAll
	void stopInstancesAndRedis() throws Exception {
		this.instances.forEach(ConfigurableApplicationContext::close);
		for (AutoCloseable closeable : this.closeLast) {
			closeable.close();
		}
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void aBroadcastFromAnyInstanceReachesEveryClientOfEveryInstanceOnceInOrder() throws Exception {
		int messages = 20;
		for (int k = 0; k < messages; k++) {
			for (int i = 0; i < INSTANCES; i++) {
				broadcast(this.instances.get(i), i + ":" + k, ConnectionSelector.all());
			}
		}
		for (List<JdkClient> connected : this.clients) {
			for (JdkClient client : connected) {
				int[] next = new int[INSTANCES];
				for (int m = 0; m < INSTANCES * messages; m++) {
					String[] received = client.next(TIMEOUT).text().split(":");
					int publisher = Integer.parseInt(received[0]);
					assertThat(Integer.parseInt(received[1])).as("next message of instance %d", publisher)
						.isEqualTo(next[publisher]);
					next[publisher]++;
				}
			}
		}
		assertEveryClientsNextMessageIsTheEndMarker();
		for (ConfigurableApplicationContext instance : this.instances) {
			assertThat(link(instance).getInstanceConnections()).hasSize(INSTANCES)
				.allSatisfy((id, count) -> assertThat(count).isEqualTo(CLIENTS));
		}
	}

	@Test
	void theActuatorEndpointShowsEachInstancesConnectionsAndTheMetersCountTheLink() throws Exception {
		Actuator actuator = new Actuator(port(this.instances.get(0)));
		DocumentContext websocket = actuator.get("/websocket");
		assertThat(websocket.read("$.endpoints.cluster.connections", Integer.class)).isEqualTo(CLIENTS);
		assertThat(websocket.read("$.cluster.instance", String.class)).isEqualTo("instance-0");
		assertThat(websocket.read("$.cluster.linkUp", Boolean.class)).isTrue();
		Map<String, Object> connections = websocket.read("$.cluster.connections");
		assertThat(connections).containsOnlyKeys("instance-0", "instance-1", "instance-2")
			.allSatisfy((id, count) -> assertThat(count).isEqualTo(CLIENTS));
		assertThat(actuator.metric("autobahn.websocket.cluster.link.up")).isEqualTo(1);
		assertThat(actuator.metric("autobahn.websocket.cluster.instances")).isEqualTo(INSTANCES);
		double published = actuator.metric("autobahn.websocket.cluster.published");
		double received = new Actuator(port(this.instances.get(1))).metric("autobahn.websocket.cluster.received");
		broadcast(this.instances.get(0), "counted", ConnectionSelector.all());
		assertEveryClientsNextMessageIs("counted");
		awaitMetric(actuator, "autobahn.websocket.cluster.published", published + 1);
		awaitMetric(new Actuator(port(this.instances.get(1))), "autobahn.websocket.cluster.received", received + 1);
		assertEveryClientsNextMessageIsTheEndMarker();
	}

	@Test
	void aSelectorByAttributeTravelsAndSelectsOnEveryInstance() throws Exception {
		broadcast(this.instances.get(1), "to room a", ConnectionSelector.attribute("room", "a"));
		for (List<JdkClient> connected : this.clients) {
			for (int c = 0; c < connected.size(); c += 2) {
				assertThat(connected.get(c).next(TIMEOUT).text()).isEqualTo("to room a");
			}
		}
		assertEveryClientsNextMessageIsTheEndMarker();
	}

	@Test
	void aBroadcastWithoutAFilterTravelsAndOneWithAPredicateStaysLocal() throws Exception {
		BroadcastResult result = instanceConnections(2).broadcast("to all");
		assertThat(result.matched()).as("this instance's connections").isEqualTo(CLIENTS);
		assertEveryClientsNextMessageIs("to all");
		instanceConnections(2).forEndpoint("cluster").broadcast("local", (connection) -> true);
		for (JdkClient client : this.clients.get(2)) {
			assertThat(client.next(TIMEOUT).text()).isEqualTo("local");
		}
		// The other instances' clients never get it: their next message is the marker.
		assertEveryClientsNextMessageIsTheEndMarker();
	}

	@Test
	void garbageOnTheChannelsIsCountedAndDroppedAndTheLinkCarriesOn() throws Exception {
		long[] before = this.instances.stream().mapToLong((instance) -> link(instance).getInvalid()).toArray();
		try (LogCapture log = LogCapture.start()) {
			RedisConnectionFactory factory = this.instances.get(0).getBean(RedisConnectionFactory.class);
			try (RedisConnection connection = factory.getConnection()) {
				connection.publish("autobahn:websocket:endpoint:cluster".getBytes(StandardCharsets.UTF_8),
						"not an envelope".getBytes(StandardCharsets.UTF_8));
			}
			for (int i = 0; i < INSTANCES; i++) {
				RedisClusterLink link = link(this.instances.get(i));
				long expected = before[i] + 1;
				Poll.until("the garbage counted", () -> link.getInvalid() == expected, TIMEOUT);
			}
			assertEveryClientsNextMessageIsTheEndMarker();
			assertThat(log.hasErrorOrStackTrace()).as(log.text()).isFalse();
		}
	}

	@Test
	void redisKilledAndRestartedTakesEveryLinkDownAndBackUpWithNothingDeliveredTwice() throws Exception {
		broadcast(this.instances.get(0), "before", ConnectionSelector.all());
		assertEveryClientsNextMessageIs("before");
		RedisClusterLink publisher = link(this.instances.get(0));
		long failuresBefore = publisher.getPublishFailures();
		long publishedBefore = publisher.getPublished();
		try (LogCapture log = LogCapture.start()) {
			this.redis.kill();
			for (ConfigurableApplicationContext instance : this.instances) {
				Poll.until("the link is down", () -> !link(instance).isLinkUp(), TIMEOUT);
			}
			int outage = 5;
			for (int k = 0; k < outage; k++) {
				broadcast(this.instances.get(0), "during " + k, ConnectionSelector.all());
			}
			// Delivered to the broadcasting instance's own clients, counted as not
			// published.
			for (JdkClient client : this.clients.get(0)) {
				for (int k = 0; k < outage; k++) {
					assertThat(client.next(TIMEOUT).text()).isEqualTo("during " + k);
				}
			}
			assertThat(publisher.getPublishFailures()).isEqualTo(failuresBefore + outage);
			assertThat(publisher.getPublished()).isEqualTo(publishedBefore);
			this.redis.startAgain();
			for (ConfigurableApplicationContext instance : this.instances) {
				Poll.until("the link is up again", () -> link(instance).isLinkUp(), Duration.ofSeconds(60));
			}
			broadcast(this.instances.get(2), "after", ConnectionSelector.all());
			// Nothing of before or during came again, to any instance.
			assertEveryClientsNextMessageIs("after");
			assertEveryClientsNextMessageIsTheEndMarker();
			for (int i = 0; i < INSTANCES; i++) {
				assertThat(countLinkDownWarnings(log, "instance-" + i)).as("WARN lines of instance %d", i).isEqualTo(1);
			}
			List<ILoggingEvent> warnings = log.events()
				.stream()
				.filter((event) -> event.getFormattedMessage().startsWith("Cluster link down"))
				.toList();
			assertThat(warnings).allSatisfy((event) -> assertThat(event.getThrowableProxy()).isNull());
		}
	}

	@Test
	void anInstanceWhoseRedisIsDownAtStartupStartsBroadcastsLocallyAndLinksUpWhenRedisComes() throws Exception {
		int redisPort = RedisServer.freePort();
		try (LogCapture log = LogCapture.start()) {
			// Closed with the others: on Reactor Netty, closing an application in this
			// JVM
			// disposes the event loops that every application here shares.
			ConfigurableApplicationContext instance = startInstance(redisPort, "late");
			this.closeLast.add(instance::close);
			JdkClient client = JdkClient.connect(this.httpClient.newWebSocketBuilder(), port(instance),
					"/cluster?room=a");
			Poll.until("the client open", () -> registry(instance).size() == 1, TIMEOUT);
			broadcast(instance, "local only", ConnectionSelector.all());
			assertThat(client.next(TIMEOUT).text()).isEqualTo("local only");
			assertThat(link(instance).isLinkUp()).isFalse();
			assertThat(link(instance).getPublishFailures()).isEqualTo(1);
			Poll.until("the link down logged", () -> countLinkDownWarnings(log, "late") > 0, TIMEOUT);
			// Several heartbeat intervals later, still one line.
			Thread.sleep(1000);
			assertThat(countLinkDownWarnings(log, "late")).isEqualTo(1);
			RedisServer late = RedisServer.start(redisPort);
			this.closeLast.add(late::close);
			Poll.until("the link is up", () -> link(instance).isLinkUp(), Duration.ofSeconds(60));
			broadcast(instance, "linked", ConnectionSelector.all());
			assertThat(client.next(TIMEOUT).text()).isEqualTo("linked");
			Poll.until("published", () -> link(instance).getPublished() == 1, TIMEOUT);
		}
	}

	@Test
	void aSlowInstanceDoesNotSlowTheOthersAndKeepsItsOwnSendBounds() throws Exception {
		ConfigurableApplicationContext slow = startInstance(this.redis.port(), "slow",
				"autobahn.websocket.endpoints.cluster.send-buffer-size-limit=" + SLOW_SEND_BUFFER,
				"autobahn.websocket.endpoints.cluster.send-time-limit=2s");
		// Closed with the others (see above); its link is stopped at the end, so that the
		// other tests see three instances again.
		this.closeLast.add(slow::close);
		List<RawWebSocket> stalled = new ArrayList<>();
		try {
			Poll.until("the slow instance's link is up", () -> link(slow).isLinkUp(), TIMEOUT);
			for (int c = 0; c < SLOW_CLIENTS; c++) {
				RawWebSocket client = RawWebSocket.connectWithReceiveBuffer(port(slow), "/cluster?room=stalled", 4096);
				stalled.add(client);
				assertThat(client.handshake().status()).isEqualTo(101);
			}
			// From here on the slow instance's clients read nothing.
			Poll.until("the slow clients open", () -> registry(slow).size() == SLOW_CLIENTS, TIMEOUT);
			for (ConfigurableApplicationContext instance : this.instances) {
				Poll.until("every instance heard of the slow one",
						() -> link(instance).getInstanceConnections().containsKey("slow"), TIMEOUT);
			}
			Actuator slowActuator = new Actuator(port(slow));
			double overflowsBefore = slowActuator.metric("autobahn.websocket.send.overflows");
			long receivedBefore = link(slow).getReceived();
			String bulk = "x".repeat(BULK_SIZE);
			ConnectionSelector stalledOnly = ConnectionSelector.attribute("room", "stalled");
			// Bounded in time, not timed: a broadcast that waited for a receiver on
			// another instance would not return while the stalled clients hold on.
			int returned = CompletableFuture.supplyAsync(() -> {
				int calls = 0;
				for (int k = 0; k < SLOW_MESSAGES; k++) {
					broadcast(this.instances.get(0), "seq " + k, ConnectionSelector.all());
					broadcast(this.instances.get(0), bulk, stalledOnly);
					calls++;
				}
				return calls;
			}).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(returned).as("broadcast calls returned").isEqualTo(SLOW_MESSAGES);
			for (List<JdkClient> connected : this.clients) {
				for (JdkClient client : connected) {
					for (int k = 0; k < SLOW_MESSAGES; k++) {
						assertThat(client.next(TIMEOUT).text()).isEqualTo("seq " + k);
					}
				}
			}
			// The slow instance got every message from Redis; its own send bounds
			// dropped each stalled connection instead of holding what it does not read.
			Poll.until("the slow instance received every broadcast",
					() -> link(slow).getReceived() == receivedBefore + 2 * SLOW_MESSAGES, TIMEOUT);
			Poll.until("every stalled connection dropped", () -> registry(slow).size() == 0, TIMEOUT);
			assertThat(slowActuator.metric("autobahn.websocket.send.overflows"))
				.as("connections dropped by the send bounds")
				.isEqualTo(overflowsBefore + SLOW_CLIENTS);
			assertThat(link(slow).getDuplicates()).isZero();
			assertEveryClientsNextMessageIsTheEndMarker();
		}
		finally {
			for (RawWebSocket client : stalled) {
				client.close();
			}
			link(slow).stop();
		}
		for (ConfigurableApplicationContext instance : this.instances) {
			Poll.until("the slow instance gone from every instance's view",
					() -> link(instance).getInstanceConnections().size() == INSTANCES, TIMEOUT);
		}
	}

	private static long countLinkDownWarnings(LogCapture log, String instanceId) {
		return log.events()
			.stream()
			.filter((event) -> event.getLevel() == Level.WARN && event.getFormattedMessage()
				.startsWith("Cluster link down, reconnecting (instance " + instanceId + ")"))
			.count();
	}

	private static void awaitMetric(Actuator actuator, String name, double expected) throws Exception {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		double value = actuator.metric(name);
		while (value != expected && System.nanoTime() < deadline) {
			Thread.sleep(20);
			value = actuator.metric(name);
		}
		assertThat(value).as(name).isEqualTo(expected);
	}

	/** A marker from each instance in turn, read by every client as its next message. */
	private void assertEveryClientsNextMessageIsTheEndMarker() throws Exception {
		for (int i = 0; i < INSTANCES; i++) {
			broadcast(this.instances.get(i), "end " + i, ConnectionSelector.all());
			assertEveryClientsNextMessageIs("end " + i);
		}
	}

	private void assertEveryClientsNextMessageIs(String text) throws Exception {
		for (List<JdkClient> connected : this.clients) {
			for (JdkClient client : connected) {
				assertThat(client.next(TIMEOUT).text()).isEqualTo(text);
			}
		}
	}

	/**
	 * Broadcast to the endpoint's connections that the selector selects, on every
	 * instance, as an application does.
	 */
	static BroadcastResult broadcast(ConfigurableApplicationContext instance, String text,
			ConnectionSelector selector) {
		return instance.getBean(WebSocketConnections.class).forEndpoint("cluster").broadcast(text, selector);
	}

	static ConfigurableApplicationContext startInstance(int redisPort, String instanceId, String... properties) {
		return new SpringApplicationBuilder(ClusterApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + redisPort, "autobahn.websocket.cluster.redis.enabled=true",
					"autobahn.websocket.cluster.redis.instance-id=" + instanceId,
					"autobahn.websocket.cluster.redis.heartbeat-interval=" + HEARTBEAT,
					"management.endpoints.web.exposure.include=websocket,metrics")
			.properties(properties)
			.run();
	}

	private WebSocketConnections instanceConnections(int instance) {
		return this.instances.get(instance).getBean(WebSocketConnections.class);
	}

	static RedisClusterLink link(ConfigurableApplicationContext instance) {
		return instance.getBean(RedisClusterLink.class);
	}

	static ConnectionRegistry registry(ConfigurableApplicationContext instance) {
		return instance.getBean(ConnectionRegistry.class);
	}

	static int port(ConfigurableApplicationContext instance) {
		return instance.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ClusterProtocol.class)
	static class ClusterApplication {

	}

	@WebSocketEndpoint(path = "/cluster", name = "cluster")
	static class ClusterProtocol extends WebSocketServerProtocol {

		@Override
		public void onOpen() {
			String room = getRequest().params().getFirst("room");
			if (room != null) {
				getConnection().getAttributes().put("room", room);
			}
		}

	}

}
