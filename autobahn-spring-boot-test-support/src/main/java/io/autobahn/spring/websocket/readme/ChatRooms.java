package io.autobahn.spring.websocket.readme;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import io.autobahn.spring.websocket.Disconnected;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

@Component
public class ChatRooms {

	private final Set<WebSocketServerProtocol> members = ConcurrentHashMap.newKeySet();

	public void join(WebSocketServerProtocol member) {
		this.members.add(member);
	}

	public void leave(WebSocketServerProtocol member) {
		this.members.remove(member);
	}

	public void broadcast(String text) {
		for (WebSocketServerProtocol member : this.members) {
			try {
				member.sendMessage(text); // thread-safe: any thread may send
			}
			catch (Disconnected ex) {
				// closing meanwhile: its onClose removes it
			}
		}
	}

}
