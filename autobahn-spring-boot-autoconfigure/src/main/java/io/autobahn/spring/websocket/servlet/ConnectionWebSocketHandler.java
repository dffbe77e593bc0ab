package io.autobahn.spring.websocket.servlet;

import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

import io.autobahn.spring.websocket.core.StackConnection;
import io.autobahn.spring.websocket.core.Transport;

/**
 * The Spring {@link WebSocketHandler} of one connection on the servlet stack, bound to it
 * when the upgrade strategy hands the connection to the container: it forwards the
 * container's events to the connection, with no lookup per frame. It takes partial
 * messages, so the container's buffers stay small and the starter assembles messages
 * under its own limit. Called by the container one event at a time.
 */
final class ConnectionWebSocketHandler implements WebSocketHandler {

	private static final Log logger = LogFactory.getLog(ConnectionWebSocketHandler.class);

	/**
	 * Let go once closed: Jetty may keep a closed session, and with it this handler, a
	 * while.
	 */
	private volatile @Nullable StackConnection connection;

	private final Function<Object, Transport> transports;

	/**
	 * Create the handler of a connection.
	 * @param connection the connection
	 * @param transports the transport over the container's native session
	 */
	ConnectionWebSocketHandler(StackConnection connection, Function<Object, Transport> transports) {
		this.connection = connection;
		this.transports = transports;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		connection().open(this.transports.apply(((NativeWebSocketSession) session).getNativeSession()));
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
		StackConnection connection = this.connection;
		if (connection == null) {
			return;
		}
		if (message instanceof TextMessage text) {
			connection.textReceived(text.getPayload(), text.isLast());
		}
		else if (message instanceof BinaryMessage binary) {
			connection.binaryReceived(binary.getPayload(), binary.isLast());
		}
		else if (message instanceof PongMessage pong) {
			connection.pongReceived(pong.getPayload());
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		if (logger.isDebugEnabled()) {
			// The peer's doing (a protocol error, a reset): one line, no stack trace.
			logger.debug("Transport error on " + session + ": " + exception);
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
		StackConnection connection = this.connection;
		this.connection = null;
		if (connection != null) {
			connection.closed(closeStatus.getCode(), closeStatus.getReason());
		}
	}

	private StackConnection connection() {
		StackConnection connection = this.connection;
		if (connection == null) {
			throw new IllegalStateException("The connection is closed");
		}
		return connection;
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

}
