package io.autobahn.spring.bench;

import org.springframework.context.annotation.Profile;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * The starter's echo, as a user writes it; one source for every echo server (build-helper
 * adds {@code benchmarks/shared} to each server module's sources).
 */
@Profile("starter & !buffer")
@WebSocketEndpoint("/echo")
public class StarterEcho extends WebSocketServerProtocol {

	@Override
	public void onMessage(byte[] payload, boolean isBinary) {
		sendMessage(payload, isBinary);
	}

}
