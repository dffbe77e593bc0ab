package io.autobahn.spring.sample.greeting;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * Greets each client as its connection opens, then echoes its messages. It lives outside
 * the packages the application scans, as a class from a library would, so the application
 * declares it with a {@code @Bean} method ({@code GreetingConfiguration}), which gives it
 * its greeting.
 */
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
