package io.autobahn.spring.sample.echo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.ConnectionSelector;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * A chat with rooms: {@code ws://localhost:9000/chat?room=lobby&nick=alice}. Each
 * connection keeps its room and nick as attributes of its connection (set in
 * {@code onConnect}), and what one client says is broadcast to the connections whose
 * {@code room} attribute is its own, through the endpoint's open connections
 * ({@link #getConnections()}, Autobahn's factory): no set of clients kept by hand. Text
 * lines: {@code nick: text} for a message, {@code * ...} for someone joining or leaving.
 * <p>
 * The room is a {@link ConnectionSelector}, not a lambda, so that the broadcast travels:
 * with the {@code cluster} profile ({@code application-cluster.yml}) several instances of
 * the sample share one Redis, and a line reaches the room's connections on every
 * instance. The "here:" list of a join names this instance's connections only.
 * <p>
 * A room or nick that is missing or not a short word is replaced (the lobby, a guest
 * nick): what a client sends is never trusted as it is. Binary messages are ignored; the
 * endpoint's size limit is set in {@code application.yml}.
 */
@WebSocketEndpoint("/chat")
public class ChatProtocol extends WebSocketServerProtocol {

	static final String ROOM = "room";

	static final String NICK = "nick";

	private static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");

	private static final Pattern NICK_NAME = Pattern.compile("[\\p{L}\\p{N}_-]{1,24}");

	private static final AtomicInteger guests = new AtomicInteger();

	@Override
	public @Nullable ConnectionAccept onConnect(ConnectionRequest request) {
		String room = word(request.params().getFirst(ROOM), ROOM_NAME, "lobby");
		String nick = word(request.params().getFirst(NICK), NICK_NAME, "guest-" + guests.incrementAndGet());
		getConnection().getAttributes().put(ROOM, room);
		getConnection().getAttributes().put(NICK, nick);
		return null;
	}

	private static String word(@Nullable String value, Pattern pattern, String otherwise) {
		return (value != null && pattern.matcher(value).matches()) ? value : otherwise;
	}

	@Override
	public void onOpen() {
		List<String> here = getConnections().stream()
			.filter(inMyRoom())
			.map((connection) -> String.valueOf(connection.getAttributes().get(NICK)))
			.sorted()
			.toList();
		toRoom("* " + nick() + " joined " + room() + " (here: " + String.join(", ", here) + ")");
	}

	@Override
	public void onMessage(byte[] payload, boolean isBinary) {
		if (!isBinary) {
			toRoom(nick() + ": " + new String(payload, StandardCharsets.UTF_8));
		}
	}

	@Override
	public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
		// Already out of the open connections: the others hear it.
		toRoom("* " + nick() + " left");
	}

	private void toRoom(String line) {
		getConnections().broadcast(line, inMyRoom());
	}

	private ConnectionSelector inMyRoom() {
		return ConnectionSelector.attribute(ROOM, room());
	}

	private String room() {
		return Objects.toString(getConnection().getAttributes().get(ROOM));
	}

	private String nick() {
		return Objects.toString(getConnection().getAttributes().get(NICK));
	}

}
