package io.autobahn.spring.websocket.readme;

import java.nio.charset.StandardCharsets;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionDeny;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

@WebSocketEndpoint("/chat")
public class ChatProtocol extends WebSocketServerProtocol {

	private final ChatRooms rooms; // a singleton bean, shared by every connection

	private String nick; // this connection's state

	ChatProtocol(ChatRooms rooms) {
		this.rooms = rooms;
	}

	@Override
	public ConnectionAccept onConnect(ConnectionRequest request) {
		if (!request.params().containsKey("nick")) {
			throw new ConnectionDeny(ConnectionDeny.BAD_REQUEST, "nick missing");
		}
		this.nick = request.params().getFirst("nick");
		return ConnectionAccept.subprotocol("chat.v1").withHeader("X-Chat-Server", "demo");
	}

	@Override
	public void onOpen() {
		this.rooms.join(this);
	}

	@Override
	public void onMessage(byte[] payload, boolean isBinary) {
		this.rooms.broadcast(this.nick + ": " + new String(payload, StandardCharsets.UTF_8));
	}

	@Override
	public void onClose(boolean wasClean, Integer code, String reason) {
		this.rooms.leave(this);
	}

}
