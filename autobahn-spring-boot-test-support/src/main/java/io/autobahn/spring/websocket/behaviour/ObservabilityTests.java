package io.autobahn.spring.websocket.behaviour;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionDeny;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.test.Actuator;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.StackProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters and the Actuator endpoint, read over HTTP as a user of
 * {@code spring-boot-starter-actuator} reads them: {@code /actuator/metrics} counts the
 * connections a client opened and how they closed (by code), its messages and payload
 * bytes in and out by type, the time in {@code onMessage}, the handshakes refused (by
 * status and reason) and the auto-pings (round trips, a timeout);
 * {@code /actuator/websocket} lists the endpoints (the application's port and a dedicated
 * one) and a page of an endpoint's connections with their traffic, and closes one or all
 * with a code. Counters are compared before and after, since the application serves every
 * test. Subclassed per container.
 */
@SpringBootTest(classes = ObservabilityTests.ObservedApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=websocket,metrics",
				"management.endpoint.websocket.access=unrestricted",
				"autobahn.websocket.endpoints.limited.max-connections=1",
				"autobahn.websocket.endpoints.pinged.auto-ping-interval=100ms",
				"autobahn.websocket.endpoints.pinged.auto-ping-timeout=500ms",
				"autobahn.websocket.endpoints.side-door.port=0" })
class ObservabilityTests extends AbstractBehaviourTests {

	@Value("${local.autobahn.websocket.side-door.port}")
	int sideDoorPort;

	Actuator actuator;

	@BeforeEach
	void actuator() {
		this.actuator = new Actuator(this.port);
	}

	@Test
	void aClientsTrafficIsCountedByTypeAndItsCloseByCode() throws Exception {
		Counts before = counts();
		JdkClient client = JdkClient.connect(this.port, "/observed");
		for (int i = 0; i < 3; i++) {
			client.sendText("abc");
			assertThat(client.next().text()).isEqualTo("abc");
		}
		for (int i = 0; i < 2; i++) {
			client.sendBinary(new byte[] { 1, 2, 3, 4 });
			assertThat(client.next().payload()).containsExactly(1, 2, 3, 4);
		}
		client.sendClose(1000, "bye");
		client.awaitClose();
		awaitMetric(before.closedNormally + 1, "autobahn.websocket.connections.closed", "endpoint:observed",
				"code:1000");
		Counts after = counts();
		assertThat(after.opened - before.opened).isEqualTo(1);
		assertThat(after.textIn - before.textIn).isEqualTo(3);
		assertThat(after.textBytesIn - before.textBytesIn).isEqualTo(9);
		assertThat(after.binaryIn - before.binaryIn).isEqualTo(2);
		assertThat(after.binaryBytesIn - before.binaryBytesIn).isEqualTo(8);
		assertThat(after.textOut - before.textOut).isEqualTo(3);
		assertThat(after.textBytesOut - before.textBytesOut).isEqualTo(9);
		assertThat(after.binaryOut - before.binaryOut).isEqualTo(2);
		assertThat(after.binaryBytesOut - before.binaryBytesOut).isEqualTo(8);
		assertThat(after.onMessage - before.onMessage).isEqualTo(5);
		assertThat(metric("autobahn.websocket.connections.open", "endpoint:observed", "side:server")).isZero();
	}

	@Test
	void closeCodesAreCountedStandardOnesByNumberTheOthersByRange() throws Exception {
		double privateUse = metric("autobahn.websocket.connections.closed", "endpoint:observed", "code:4xxx");
		double registered = metric("autobahn.websocket.connections.closed", "endpoint:observed", "code:3xxx");
		double abnormal = metric("autobahn.websocket.connections.closed", "endpoint:observed", "code:1006");
		JdkClient first = JdkClient.connect(this.port, "/observed");
		first.sendClose(4321, "private use");
		first.awaitClose();
		JdkClient second = JdkClient.connect(this.port, "/observed");
		second.sendClose(3003, "registered");
		second.awaitClose();
		try (RawWebSocket third = RawWebSocket.connect(this.port, "/observed")) {
			this.recorder.await("onOpen", TIMEOUT);
			this.recorder.await("onOpen", TIMEOUT);
			this.recorder.await("onOpen", TIMEOUT);
			third.abort();
		}
		awaitMetric(privateUse + 1, "autobahn.websocket.connections.closed", "endpoint:observed", "code:4xxx");
		awaitMetric(registered + 1, "autobahn.websocket.connections.closed", "endpoint:observed", "code:3xxx");
		awaitMetric(abnormal + 1, "autobahn.websocket.connections.closed", "endpoint:observed", "code:1006");
	}

	@Test
	void refusedHandshakesAreCountedByStatusAndReason() throws Exception {
		String refused = "autobahn.websocket.handshakes.refused";
		double origin = metric(refused, "endpoint:observed", "status:403", "reason:origin");
		double denied = metric(refused, "endpoint:observed", "status:403", "reason:denied");
		double version = metric(refused, "endpoint:observed", "status:426", "reason:invalid");
		double full = metric(refused, "endpoint:limited", "status:503", "reason:max-connections");
		assertThat(handshake("/observed", Map.of("Origin", "http://elsewhere.example"))).isEqualTo(403);
		assertThat(handshake("/observed?deny=yes", Map.of())).isEqualTo(403);
		assertThat(handshake("/observed", Map.of("Sec-WebSocket-Version", "8"))).isEqualTo(426);
		JdkClient holder = JdkClient.connect(this.port, "/limited");
		this.recorder.await("onOpen", TIMEOUT);
		assertThat(handshake("/limited", Map.of())).isEqualTo(503);
		assertThat(metric(refused, "endpoint:observed", "status:403", "reason:origin")).isEqualTo(origin + 1);
		assertThat(metric(refused, "endpoint:observed", "status:403", "reason:denied")).isEqualTo(denied + 1);
		assertThat(metric(refused, "endpoint:observed", "status:426", "reason:invalid")).isEqualTo(version + 1);
		assertThat(metric(refused, "endpoint:limited", "status:503", "reason:max-connections")).isEqualTo(full + 1);
		holder.sendClose(1000, "bye");
		holder.awaitClose();
	}

	@Test
	void autoPingRoundTripsAreTimedAndAnUnansweredPingIsCounted() throws Exception {
		double roundTrips = metric("autobahn.websocket.autoping.rtt", "endpoint:pinged");
		double timeouts = metric("autobahn.websocket.autoping.timeouts", "endpoint:pinged");
		// The JDK's client answers pings by itself; the raw socket never does.
		JdkClient answering = JdkClient.connect(this.port, "/pinged");
		awaitMetric(roundTrips + 2, "autobahn.websocket.autoping.rtt", "endpoint:pinged");
		try (RawWebSocket silent = RawWebSocket.connect(this.port, "/pinged")) {
			awaitMetric(timeouts + 1, "autobahn.websocket.autoping.timeouts", "endpoint:pinged");
		}
		answering.sendClose(1000, "bye");
		answering.awaitClose();
	}

	@Test
	void theActuatorEndpointListsEveryEndpointWhereItIsServed() throws Exception {
		DocumentContext endpoints = this.actuator.get("/websocket");
		assertThat(endpoints.read("$.endpoints.observed.path", String.class)).isEqualTo("/observed");
		assertThat(endpoints.read("$.endpoints.observed.port", Integer.class)).isEqualTo(this.port);
		assertThat(endpoints.read("$.endpoints.observed.url", String.class)).endsWith(":" + this.port + "/observed");
		assertThat(endpoints.read("$.endpoints.observed.stack", String.class)).isEqualTo(mainServer());
		assertThat(endpoints.read("$.endpoints.observed.dedicatedPort", Boolean.class)).isFalse();
		assertThat(endpoints.read("$.endpoints.observed.wss", Boolean.class)).isFalse();
		assertThat(endpoints.read("$.endpoints.observed.side", String.class)).isEqualTo("server");
		assertThat(endpoints.read("$.endpoints.limited.settings.max-connections", Integer.class)).isEqualTo(1);
		assertThat(endpoints.read("$.endpoints.pinged.settings.auto-ping-interval", String.class)).isEqualTo("PT0.1S");
		assertThat(endpoints.read("$.endpoints.side-door.port", Integer.class)).isEqualTo(this.sideDoorPort);
		assertThat(endpoints.read("$.endpoints.side-door.dedicatedPort", Boolean.class)).isTrue();
		assertThat(endpoints.read("$.endpoints.side-door.stack", String.class)).isEqualTo("Reactor Netty");
		assertThat(this.actuator.status("/websocket/nope")).isEqualTo(404);
	}

	@Test
	void theActuatorEndpointListsAnEndpointsConnectionsWithTheirTrafficPageByPage() throws Exception {
		JdkClient first = JdkClient.connect(this.port, "/observed");
		String firstId = (String) this.recorder.await("onOpen", TIMEOUT).detail(0);
		JdkClient second = JdkClient.connect(this.port, "/observed");
		String secondId = (String) this.recorder.await("onOpen", TIMEOUT).detail(0);
		first.sendText("hello");
		assertThat(first.next().text()).isEqualTo("hello");
		assertThat(this.actuator.get("/websocket").read("$.endpoints.observed.connections", Integer.class))
			.isEqualTo(2);
		DocumentContext page = this.actuator.get("/websocket/observed");
		assertThat(page.read("$.total", Integer.class)).isEqualTo(2);
		assertThat(page.read("$.endpoint.path", String.class)).isEqualTo("/observed");
		assertThat(page.read("$.connections[*].id", List.class)).containsExactly(firstId, secondId);
		assertThat(page.read("$.connections[0].peer", String.class)).startsWith("tcp4:127.0.0.1:");
		assertThat(page.read("$.connections[0].openedAt", String.class)).isNotBlank();
		assertThat(page.read("$.connections[0].messagesReceived", Long.class)).isEqualTo(1);
		assertThat(page.read("$.connections[0].bytesReceived", Long.class)).isEqualTo(5);
		assertThat(page.read("$.connections[0].messagesSent", Long.class)).isEqualTo(1);
		assertThat(page.read("$.connections[0].bytesSent", Long.class)).isEqualTo(5);
		assertThat(page.read("$.connections[1].messagesReceived", Long.class)).isZero();
		DocumentContext secondPage = this.actuator.get("/websocket/observed?offset=1&limit=1");
		assertThat(secondPage.read("$.total", Integer.class)).isEqualTo(2);
		assertThat(secondPage.read("$.connections[*].id", List.class)).containsExactly(secondId);
		close(first);
		close(second);
	}

	@Test
	void theActuatorEndpointClosesOneConnectionOrAllOfAnEndpointsWithTheGivenCode() throws Exception {
		JdkClient first = JdkClient.connect(this.port, "/observed");
		String firstId = (String) this.recorder.await("onOpen", TIMEOUT).detail(0);
		JdkClient second = JdkClient.connect(this.port, "/observed");
		this.recorder.await("onOpen", TIMEOUT);
		JdkClient third = JdkClient.connect(this.port, "/observed");
		this.recorder.await("onOpen", TIMEOUT);
		assertThat(this.actuator.post("/websocket/observed/" + firstId, "{\"code\": 1234}").statusCode())
			.isEqualTo(400);
		HttpResponse<String> one = this.actuator.post("/websocket/observed/" + firstId,
				"{\"code\": 4000, \"reason\": \"admin\"}");
		assertThat(one.statusCode()).isEqualTo(200);
		assertThat(one.body()).contains("\"closing\":1");
		JdkClient.Received closed = first.awaitClose();
		assertThat(closed.closeCode()).isEqualTo(4000);
		assertThat(closed.text()).isEqualTo("admin");
		Poll.until("the first connection closed", () -> this.registry.forEndpoint("observed").size() == 2, TIMEOUT);
		HttpResponse<String> all = this.actuator.post("/websocket/observed", "{\"code\": 4001}");
		assertThat(all.statusCode()).isEqualTo(200);
		assertThat(all.body()).contains("\"closing\":2");
		assertThat(second.awaitClose().closeCode()).isEqualTo(4001);
		assertThat(third.awaitClose().closeCode()).isEqualTo(4001);
		assertThat(this.actuator.post("/websocket/observed/nope", "{}").body()).contains("\"closing\":0");
		assertThat(this.actuator.post("/websocket/nope", "{}").statusCode()).isEqualTo(400);
	}

	private int handshake(String path, Map<String, String> headers) throws Exception {
		try (RawWebSocket client = RawWebSocket.connect(this.port, path, headers)) {
			return client.handshake().status();
		}
	}

	private static String mainServer() {
		String stack = StackProfile.current().name();
		return stack.equals("Netty") ? "Reactor Netty" : stack;
	}

	private double metric(String name, String... tags) throws Exception {
		return this.actuator.metric(name, tags);
	}

	private void awaitMetric(double expected, String name, String... tags) throws Exception {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		double value = metric(name, tags);
		while (value < expected && System.nanoTime() < deadline) {
			Thread.sleep(20);
			value = metric(name, tags);
		}
		assertThat(value).as(name + " " + String.join(",", tags)).isEqualTo(expected);
	}

	private Counts counts() throws Exception {
		return new Counts(metric("autobahn.websocket.connections.opened", "endpoint:observed"),
				metric("autobahn.websocket.connections.closed", "endpoint:observed", "code:1000"),
				metric("autobahn.websocket.messages.received", "endpoint:observed", "type:text"),
				metric("autobahn.websocket.payload.received", "endpoint:observed", "type:text"),
				metric("autobahn.websocket.messages.received", "endpoint:observed", "type:binary"),
				metric("autobahn.websocket.payload.received", "endpoint:observed", "type:binary"),
				metric("autobahn.websocket.messages.sent", "endpoint:observed", "type:text"),
				metric("autobahn.websocket.payload.sent", "endpoint:observed", "type:text"),
				metric("autobahn.websocket.messages.sent", "endpoint:observed", "type:binary"),
				metric("autobahn.websocket.payload.sent", "endpoint:observed", "type:binary"),
				metric("autobahn.websocket.onmessage", "endpoint:observed"));
	}

	private static void close(JdkClient client) throws Exception {
		client.sendClose(1000, "bye");
		client.awaitClose();
	}

	record Counts(double opened, double closedNormally, double textIn, double textBytesIn, double binaryIn,
			double binaryBytesIn, double textOut, double textBytesOut, double binaryOut, double binaryBytesOut,
			double onMessage) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, ObservedProtocol.class, LimitedProtocol.class, PingedProtocol.class,
			SideDoorProtocol.class })
	static class ObservedApplication {

	}

	/**
	 * Echoes; refuses a handshake whose query asks for it; records its id on open.
	 */
	@WebSocketEndpoint(path = "/observed", name = "observed")
	static class ObservedProtocol extends WebSocketServerProtocol {

		private final HookRecorder recorder;

		ObservedProtocol(HookRecorder recorder) {
			this.recorder = recorder;
		}

		@Override
		public ConnectionAccept onConnect(ConnectionRequest request) {
			if (request.params().containsKey("deny")) {
				throw new ConnectionDeny(ConnectionDeny.FORBIDDEN, "denied");
			}
			return ConnectionAccept.accept();
		}

		@Override
		public void onOpen() {
			this.recorder.record("onOpen", getConnection().getId());
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			sendMessage(payload, isBinary);
		}

	}

	@WebSocketEndpoint(path = "/limited", name = "limited")
	static class LimitedProtocol extends ObservedProtocol {

		LimitedProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

	@WebSocketEndpoint(path = "/pinged", name = "pinged")
	static class PingedProtocol extends WebSocketServerProtocol {

	}

	@WebSocketEndpoint(path = "/side-door", name = "side-door")
	static class SideDoorProtocol extends WebSocketServerProtocol {

	}

}
