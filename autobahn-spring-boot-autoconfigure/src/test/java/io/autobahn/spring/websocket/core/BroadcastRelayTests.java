package io.autobahn.spring.websocket.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.autobahn.spring.websocket.ConnectionSelector;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which of the registry's broadcasts go to its {@link BroadcastRelay}: those filtered by
 * a {@link ConnectionSelector} or not at all, with their endpoint (none for the
 * application's connections), never one filtered by another predicate, nor what another
 * instance broadcast ({@code broadcastLocally}).
 */
class BroadcastRelayTests {

	private final ConnectionRegistry registry = new ConnectionRegistry();

	private final List<String> relayed = new ArrayList<>();

	BroadcastRelayTests() {
		this.registry.endpoint("chat");
		this.registry.setBroadcastRelay((endpoint, selector, isBinary, payload) -> {
			byte[] bytes = new byte[payload.remaining()];
			payload.duplicate().get(bytes);
			this.relayed
				.add(endpoint + " " + selector + " " + isBinary + " " + new String(bytes, StandardCharsets.UTF_8));
		});
	}

	@Test
	void aBroadcastWithASelectorOrNoFilterIsRelayedWithItsEndpoint() {
		this.registry.broadcast("to all");
		this.registry.forEndpoint("chat").broadcast("room a", ConnectionSelector.attribute("room", "a"));
		this.registry.forEndpoint("chat").broadcast(new byte[] { 'b' }, true);
		assertThat(this.relayed).containsExactly("null ConnectionSelector[all] false to all",
				"chat ConnectionSelector[room=a] false room a", "chat ConnectionSelector[all] true b");
	}

	@Test
	void aBroadcastWithAnotherPredicateIsNotRelayed() {
		this.registry.broadcast("local", (connection) -> true);
		this.registry.forEndpoint("chat").broadcast("local", (connection) -> true);
		assertThat(this.relayed).isEmpty();
	}

	@Test
	void whatAnotherInstanceBroadcastIsNotRelayedAgain() {
		this.registry.broadcastLocally("chat", ConnectionSelector.all(), this.registry.prepareMessage("remote"));
		this.registry.broadcastLocally(null, ConnectionSelector.all(), this.registry.prepareMessage("remote"));
		assertThat(this.relayed).isEmpty();
	}

	@Test
	void broadcastLocallyToAnEndpointThisInstanceDoesNotHaveReachesNoOne() {
		assertThat(this.registry
			.broadcastLocally("elsewhere", ConnectionSelector.all(), this.registry.prepareMessage("remote"))
			.matched()).isZero();
	}

}
