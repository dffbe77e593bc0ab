package io.autobahn.spring.sample.echo;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * Echoes every message back verbatim, text as text and binary as binary.
 */
@WebSocketEndpoint("/echo")
public class EchoServerProtocol extends WebSocketServerProtocol {

	@Override
	public void onMessage(byte[] payload, boolean isBinary) {
		sendMessage(payload, isBinary);
	}

}
