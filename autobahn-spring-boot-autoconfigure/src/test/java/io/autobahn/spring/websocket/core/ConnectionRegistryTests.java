package io.autobahn.spring.websocket.core;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.autobahn.spring.websocket.WebSocketConnection;
import io.autobahn.spring.websocket.WebSocketConnections;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ConnectionRegistry} as {@link WebSocketConnections}, without sockets:
 * a connection is in it, under its id and in its endpoint's view, from its opening until
 * its close, a refused or abandoned handshake never is, unknown endpoints are refused,
 * and ids are unique and made cheaply.
 */
class ConnectionRegistryTests {

	private final FakeEndpoint fake = new FakeEndpoint(() -> new WebSocketServerProtocol() {
	}, Duration.ofSeconds(5), Duration.ofSeconds(1));

	private final ConnectionRegistry registry = this.fake.registry;

	@AfterEach
	void close() {
		this.fake.close();
	}

	@Test
	void anOpenConnectionIsThereUnderItsIdAndInItsEndpointsViewUntilItCloses() {
		ProtocolConnection first = this.fake.connect();
		ProtocolConnection second = this.fake.connect();
		assertThat(this.registry.size()).as("not before it opens").isZero();
		first.open(new FakeEndpoint.FakeTransport());
		second.open(new FakeEndpoint.FakeTransport());
		WebSocketConnections endpoint = this.registry.forEndpoint("fake");
		assertThat(this.registry.size()).isEqualTo(2);
		assertThat(endpoint.size()).isEqualTo(2);
		assertThat(endpoint).containsExactlyInAnyOrder(first.channel(), second.channel());
		assertThat(this.registry.get(first.channel().getId())).isSameAs(first.channel());
		assertThat(this.fake.endpoint.getConnections().get(second.channel().getId())).isSameAs(second.channel());
		first.closed(1000, null);
		assertThat(this.registry.get(first.channel().getId())).isNull();
		assertThat(endpoint.stream().map(WebSocketConnection::getId)).containsExactly(second.channel().getId());
		second.closed(1006, null);
		assertThat(this.registry.size()).isZero();
		assertThat(endpoint.size()).isZero();
	}

	@Test
	void anAbandonedHandshakeIsNeverThere() {
		ProtocolConnection connection = this.fake.connect();
		connection.abandon();
		connection.open(new FakeEndpoint.FakeTransport());
		assertThat(this.registry.size()).isZero();
		assertThat(this.registry.get(connection.channel().getId())).isNull();
	}

	@Test
	void anUnknownEndpointIsRefusedNamingTheKnownOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.registry.forEndpoint("nope"))
			.withMessageContaining("'nope'")
			.withMessageContaining("[fake]");
	}

	@Test
	void idsAreUniqueAndShareThisJvmsPrefix() {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 100_000; i++) {
			ids.add(ConnectionIds.next());
		}
		assertThat(ids).hasSize(100_000);
		List<String> prefixes = ids.stream().map((id) -> id.substring(0, id.indexOf('-'))).distinct().toList();
		assertThat(prefixes).singleElement().asString().matches("[0-9a-f]{16}");
	}

}
