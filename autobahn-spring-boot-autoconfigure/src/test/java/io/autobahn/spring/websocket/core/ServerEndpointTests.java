package io.autobahn.spring.websocket.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionDeny;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ServerEndpoint#connect(ConnectionRequest)} with a deferred accept,
 * with no web stack: what each outcome of the stage gives, the open handshake timeout
 * (and the longer bound once the container took the upgrade), and that the protocol
 * instance of a refused or abandoned handshake is disposed of exactly once; and that the
 * slot of {@code max-connections} a handshake takes before {@code onConnect} is given
 * back exactly once on every path.
 */
class ServerEndpointTests {

	private final CompletableFuture<@Nullable ConnectionAccept> stage = new CompletableFuture<>();

	private final WebSocketServerProtocol protocol = new WebSocketServerProtocol() {

		@Override
		public ConnectionAccept onConnect(ConnectionRequest request) {
			return ConnectionAccept.deferred(ServerEndpointTests.this.stage);
		}

	};

	private final FakeEndpoint fake = new FakeEndpoint(() -> this.protocol, Duration.ofMillis(300),
			Duration.ofSeconds(1));

	@AfterEach
	void close() {
		this.fake.close();
	}

	@Test
	void pendingUntilTheStageCompletesThenAcceptedWithItsAccept() throws Exception {
		CompletableFuture<AcceptedConnection> connection = this.fake.endpoint.connect(FakeEndpoint.request("v1", "v2"));
		assertThat(connection).isNotDone();
		this.stage.complete(ConnectionAccept.subprotocol("v2").withHeader("X-A", "1"));
		AcceptedConnection result = connection.get(1, TimeUnit.SECONDS);
		assertThat(result.subprotocol()).isEqualTo("v2");
		assertThat(result.headers()).containsEntry("X-A", java.util.List.of("1"));
		ProtocolConnection accepted = (ProtocolConnection) result.connection();
		accepted.open(new FakeEndpoint.FakeTransport());
		Thread.sleep(500);
		assertThat(this.fake.destroyedCount(this.protocol)).as("an opened connection is not given up").isZero();
		assertThat(this.fake.connectionsHeld()).as("an open connection holds its slot").isEqualTo(1);
		accepted.closed(1000, null);
		assertThat(this.fake.connectionsHeld()).isZero();
		accepted.abort("late");
		assertThat(this.fake.connectionsHeld()).as("released once").isZero();
	}

	@Test
	void stageFailedWithConnectionDenyRefusesWithIt() {
		CompletableFuture<AcceptedConnection> connection = this.fake.endpoint.connect(FakeEndpoint.request());
		ConnectionDeny deny = new ConnectionDeny(ConnectionDeny.FORBIDDEN, "no");
		this.stage.completeExceptionally(new CompletionException(deny));
		assertRefused(connection, 403);
	}

	@Test
	void stageFailedOtherwiseRefusesWith500() {
		CompletableFuture<AcceptedConnection> connection = this.fake.endpoint.connect(FakeEndpoint.request());
		this.stage.completeExceptionally(new IllegalStateException("boom"));
		assertRefused(connection, 500);
	}

	@Test
	void stageCompletedWithASubprotocolNotOfferedRefusesWith500() {
		CompletableFuture<AcceptedConnection> connection = this.fake.endpoint.connect(FakeEndpoint.request("v1"));
		this.stage.complete(ConnectionAccept.subprotocol("v3"));
		assertRefused(connection, 500);
	}

	@Test
	void stageCompletedWithAnotherDeferredAcceptRefusesWith500() {
		CompletableFuture<AcceptedConnection> connection = this.fake.endpoint.connect(FakeEndpoint.request());
		this.stage.complete(ConnectionAccept.deferred(new CompletableFuture<>()));
		assertRefused(connection, 500);
	}

	@Test
	void stageNotCompletedInTimeRefusesWith503AndALateCompletionChangesNothing() throws Exception {
		CompletableFuture<AcceptedConnection> connection = this.fake.endpoint.connect(FakeEndpoint.request());
		await("refused").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(connection::isDone);
		assertRefused(connection, 503);
		this.stage.complete(null);
		Thread.sleep(100);
		assertThat(this.fake.destroyedCount(this.protocol)).isEqualTo(1);
		assertThat(this.fake.connectionsHeld()).isZero();
	}

	@Test
	void cancelledWhileWaitingDisposesOfTheProtocol() throws Exception {
		CompletableFuture<AcceptedConnection> connection = this.fake.endpoint.connect(FakeEndpoint.request());
		connection.cancel(false);
		assertThat(this.fake.destroyedCount(this.protocol)).isEqualTo(1);
		assertThat(this.fake.connectionsHeld()).isZero();
		this.stage.complete(null);
		Thread.sleep(500);
		assertThat(this.fake.destroyedCount(this.protocol)).isEqualTo(1);
		assertThat(this.fake.connectionsHeld()).isZero();
	}

	@Test
	void acceptedConnectionThatNeverOpensIsGivenUpAfterTheOpenHandshakeTimeout() throws Exception {
		CompletableFuture<AcceptedConnection> connection = this.fake.endpoint.connect(FakeEndpoint.request());
		this.stage.complete(null);
		ProtocolConnection accepted = (ProtocolConnection) connection.get(1, TimeUnit.SECONDS).connection();
		assertThat(this.fake.connectionsHeld()).isEqualTo(1);
		await("given up").atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> this.fake.destroyedCount(this.protocol) == 1);
		assertThat(this.fake.connectionsHeld()).isZero();
		// A container that takes the upgrade after that changes nothing.
		accepted.upgradeTaken();
		FakeEndpoint.FakeTransport transport = new FakeEndpoint.FakeTransport();
		accepted.open(transport);
		assertThat(transport.aborted).as("a late upgrade is dropped").isTrue();
		assertThat(accepted.isOpen()).isFalse();
		assertThat(this.fake.destroyedCount(this.protocol)).isEqualTo(1);
		assertThat(this.fake.connectionsHeld()).isZero();
	}

	@Test
	void servletUpgradeIsNotGivenUpAtTheOpenHandshakeTimeoutWhileItsThreadIsSlowOrAfterTheUpgrade() throws Exception {
		this.stage.complete(null);
		// A servlet container's thread: accepted, then (slowly) upgraded, then opened.
		// Under a burst of handshakes Tomcat's threads took longer than
		// open-handshake-timeout from the accept to the open, after the 101.
		ProtocolConnection accepted = (ProtocolConnection) this.fake.endpoint.connectAndWait(FakeEndpoint.request())
			.connection();
		Thread.sleep(600);
		accepted.upgradeTaken();
		Thread.sleep(600);
		assertThat(this.fake.destroyedCount(this.protocol)).as("not given up at open-handshake-timeout (300 ms)")
			.isZero();
		assertThat(this.fake.connectionsHeld()).isEqualTo(1);
		FakeEndpoint.FakeTransport transport = new FakeEndpoint.FakeTransport();
		accepted.open(transport);
		assertThat(transport.aborted).as("the client that got the 101 keeps its connection").isFalse();
		assertThat(accepted.isOpen()).isTrue();
		accepted.closed(1000, null);
		assertThat(this.fake.destroyedCount(this.protocol)).isEqualTo(1);
		assertThat(this.fake.connectionsHeld()).isZero();
	}

	@Test
	void abandonedHandshakeGivesItsSlotBackOnce() throws Exception {
		CompletableFuture<AcceptedConnection> connection = this.fake.endpoint.connect(FakeEndpoint.request());
		this.stage.complete(null);
		ProtocolConnection accepted = (ProtocolConnection) connection.get(1, TimeUnit.SECONDS).connection();
		accepted.abandon();
		accepted.abandon();
		assertThat(this.fake.connectionsHeld()).isZero();
		assertThat(this.fake.destroyedCount(this.protocol)).isEqualTo(1);
	}

	@Test
	void pastMaxConnectionsRefusedWith503BeforeOnConnectUntilASlotIsFree() throws Exception {
		AtomicInteger onConnects = new AtomicInteger();
		try (FakeEndpoint limited = new FakeEndpoint(() -> new WebSocketServerProtocol() {

			@Override
			public @Nullable ConnectionAccept onConnect(ConnectionRequest request) {
				onConnects.incrementAndGet();
				return null;
			}

		}, 1, Duration.ofSeconds(5), Duration.ofSeconds(1))) {
			ProtocolConnection first = (ProtocolConnection) limited.endpoint.connect(FakeEndpoint.request())
				.get(1, TimeUnit.SECONDS)
				.connection();
			first.open(new FakeEndpoint.FakeTransport());
			assertThat(limited.endpoint.connect(FakeEndpoint.request())).failsWithin(Duration.ofSeconds(1))
				.withThrowableOfType(java.util.concurrent.ExecutionException.class)
				.havingCause()
				.isInstanceOfSatisfying(ConnectionDeny.class, (deny) -> {
					assertThat(deny.getCode()).isEqualTo(503);
					assertThat(deny.getReason()).isEqualTo("maximum number of connections reached");
				});
			assertThat(onConnects).as("refused before onConnect").hasValue(1);
			assertThat(limited.endpoint.getBudgets().getConnections().getRefusals()).isEqualTo(1);
			first.closed(1000, null);
			assertThat(limited.connectionsHeld()).isZero();
			assertThat(limited.endpoint.connect(FakeEndpoint.request())).succeedsWithin(Duration.ofSeconds(1));
			assertThat(onConnects).hasValue(2);
		}
	}

	@Test
	void onConnectThatThrowsOrDeniesGivesItsSlotBack() {
		AtomicInteger calls = new AtomicInteger();
		try (FakeEndpoint failing = new FakeEndpoint(() -> new WebSocketServerProtocol() {

			@Override
			public @Nullable ConnectionAccept onConnect(ConnectionRequest request) {
				if (calls.incrementAndGet() == 1) {
					throw new ConnectionDeny(ConnectionDeny.FORBIDDEN, "no");
				}
				throw new IllegalStateException("boom");
			}

		}, 1, Duration.ofSeconds(5), Duration.ofSeconds(1))) {
			assertThat(failing.endpoint.connect(FakeEndpoint.request())).isCompletedExceptionally();
			assertThat(failing.connectionsHeld()).isZero();
			assertThat(failing.endpoint.connect(FakeEndpoint.request())).isCompletedExceptionally();
			assertThat(failing.connectionsHeld()).isZero();
			assertThat(calls).as("neither refused for max-connections").hasValue(2);
		}
	}

	@Test
	void protocolFactoryFailureGivesTheSlotBack() {
		try (FakeEndpoint failing = new FakeEndpoint(() -> {
			throw new IllegalStateException("no instance");
		}, 1, Duration.ofSeconds(5), Duration.ofSeconds(1))) {
			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> failing.endpoint.connect(FakeEndpoint.request()));
			assertThat(failing.connectionsHeld()).isZero();
		}
	}

	@Test
	void connectAndWaitThrowsTheConnectionDeny() {
		this.stage.completeExceptionally(new ConnectionDeny(ConnectionDeny.NOT_FOUND, "gone"));
		assertThatExceptionOfType(ConnectionDeny.class)
			.isThrownBy(() -> this.fake.endpoint.connectAndWait(FakeEndpoint.request()))
			.satisfies((deny) -> assertThat(deny.getCode()).isEqualTo(404));
	}

	private void assertRefused(CompletableFuture<AcceptedConnection> connection, int status) {
		assertThat(connection).failsWithin(Duration.ofSeconds(1))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.havingCause()
			.isInstanceOfSatisfying(ConnectionDeny.class, (deny) -> assertThat(deny.getCode()).isEqualTo(status));
		assertThat(this.fake.destroyedCount(this.protocol)).isEqualTo(1);
		assertThat(this.fake.connectionsHeld()).isZero();
	}

}
