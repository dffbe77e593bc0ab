package io.autobahn.spring.bench.servlet;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/**
 * The hand-written broadcast, as Spring users write it: every session kept in a concurrent map,
 * wrapped in a {@link ConcurrentWebSocketSessionDecorator} (so that the sender's thread and
 * others may send to it at once, with a bound on what it buffers), and each message sent in a loop
 * to every other session, the same {@code TextMessage} or {@code BinaryMessage} object to each. A
 * session that fails or passes the decorator's limits is dropped alone. Bounds as the starter's
 * in application.properties: 8 MiB buffered, 10 s to send.
 */
class BaselineBroadcastHandler extends AbstractWebSocketHandler {

	private static final int SEND_TIME_LIMIT_MS = 10_000;

	private static final int BUFFER_SIZE_LIMIT = 8 * 1024 * 1024;

	private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws Exception {
		BaselineEchoConfiguration.EchoHandler.raiseJettyLimits(session);
		this.sessions.put(session.getId(),
				new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MS, BUFFER_SIZE_LIMIT));
	}

	@Override
	public void handleMessage(WebSocketSession sender, WebSocketMessage<?> message) {
		for (WebSocketSession session : this.sessions.values()) {
			if (!session.getId().equals(sender.getId())) {
				try {
					session.sendMessage(message);
				}
				catch (Exception ex) {
					// closed meanwhile, or too slow (the decorator's limits): that one only
					this.sessions.remove(session.getId());
				}
			}
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		this.sessions.remove(session.getId());
	}

}
