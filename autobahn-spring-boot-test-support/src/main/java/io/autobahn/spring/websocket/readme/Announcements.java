package io.autobahn.spring.websocket.readme;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.autobahn.spring.websocket.Disconnected;
import io.autobahn.spring.websocket.WebSocketConnection;
import io.autobahn.spring.websocket.WebSocketConnections;

@RestController
class Announcements {

	private final WebSocketConnections connections;

	Announcements(WebSocketConnections connections) {
		this.connections = connections;
	}

	@PostMapping("/announce")
	int announce(@RequestBody String text) {
		int sent = 0;
		for (WebSocketConnection connection : this.connections.forEndpoint("chatProtocol")) {
			try {
				connection.sendMessage(text);
				sent++;
			}
			catch (Disconnected ex) {
				// closed meanwhile
			}
		}
		return sent;
	}

}
