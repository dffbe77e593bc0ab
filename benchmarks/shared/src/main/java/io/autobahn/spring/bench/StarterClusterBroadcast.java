package io.autobahn.spring.bench;

import org.springframework.context.annotation.Profile;

import io.autobahn.spring.websocket.ConnectionSelector;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * The starter's broadcast with a filter that travels: what one client sends goes to every
 * connection of the endpoint ({@link ConnectionSelector#all()}, the sender's own included), on
 * this instance and, with the cluster link on ({@code autobahn.websocket.cluster.redis.enabled}),
 * on every other instance. {@link StarterBroadcast}'s {@code Predicate} stays on one instance.
 * {@code cluster-bench.sh} measures it on one instance in memory and on three through Redis.
 */
@Profile("starter")
@WebSocketEndpoint("/bcast-all")
public class StarterClusterBroadcast extends WebSocketServerProtocol {

	@Override
	public void onMessage(byte[] payload, boolean isBinary) {
		getConnections().broadcast(payload, isBinary, ConnectionSelector.all());
	}

}
