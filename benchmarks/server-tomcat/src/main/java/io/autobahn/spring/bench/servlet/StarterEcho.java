package io.autobahn.spring.bench.servlet;

import org.springframework.context.annotation.Profile;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * The starter's echo, as a user writes it.
 */
@Profile("starter")
@WebSocketEndpoint("/echo")
public class StarterEcho extends WebSocketServerProtocol {

	@Override
	public void onMessage(byte[] payload, boolean isBinary) {
		sendMessage(payload, isBinary);
	}

}
