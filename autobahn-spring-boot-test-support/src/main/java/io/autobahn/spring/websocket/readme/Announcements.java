package io.autobahn.spring.websocket.readme;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.autobahn.spring.websocket.BroadcastResult;
import io.autobahn.spring.websocket.WebSocketConnections;

@RestController
class Announcements {

	private final WebSocketConnections connections;

	Announcements(WebSocketConnections connections) {
		this.connections = connections;
	}

	@PostMapping("/announce/{room}")
	BroadcastResult announce(@PathVariable String room, @RequestBody String text) {
		return this.connections.forEndpoint("chatProtocol")
			.broadcast(text, (connection) -> room.equals(connection.getAttributes().get("room")));
	}

}
