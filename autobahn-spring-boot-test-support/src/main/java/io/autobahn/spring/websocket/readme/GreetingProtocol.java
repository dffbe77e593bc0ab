package io.autobahn.spring.websocket.readme;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

@WebSocketEndpoint("/greeting")
public class GreetingProtocol extends WebSocketServerProtocol {

	private final String greeting;

	public GreetingProtocol(String greeting) {
		this.greeting = greeting;
	}

	@Override
	public void onOpen() {
		sendMessage(this.greeting);
	}

	@Override
	public void onMessage(byte[] payload, boolean isBinary) {
		sendMessage(payload, isBinary);
	}

}
