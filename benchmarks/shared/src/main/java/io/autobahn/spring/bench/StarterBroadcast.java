package io.autobahn.spring.bench;

import org.springframework.context.annotation.Profile;

import io.autobahn.spring.websocket.WebSocketConnection;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * The starter's broadcast, as a user writes it: what one client sends goes to every other
 * connection of the endpoint, through {@code getConnections().broadcast(...)} (one prepared
 * message, its bytes shared). The load generator's broadcast scenarios ({@code bcast-*}) connect
 * 1,000 receivers and one sender here.
 */
@Profile("starter")
@WebSocketEndpoint("/bcast")
public class StarterBroadcast extends WebSocketServerProtocol {

	@Override
	public void onMessage(byte[] payload, boolean isBinary) {
		WebSocketConnection sender = getConnection();
		getConnections().broadcast(payload, isBinary, (connection) -> connection != sender);
	}

}
