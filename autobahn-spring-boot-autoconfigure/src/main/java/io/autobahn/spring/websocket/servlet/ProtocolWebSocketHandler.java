package io.autobahn.spring.websocket.servlet;

import jakarta.websocket.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.ProtocolConnection;
import io.autobahn.spring.websocket.core.Transport;

/**
 * The Spring {@link WebSocketHandler} behind every endpoint on the servlet stack: it finds
 * the connection that {@code onConnect} created during the handshake and forwards the
 * container's events to it. It takes partial messages, so Tomcat's buffers stay small and
 * the starter assembles messages under its own limit.
 */
public class ProtocolWebSocketHandler implements WebSocketHandler {

	/** The handshake attribute holding the {@link ProtocolConnection}. */
	static final String CONNECTION_ATTRIBUTE = ProtocolConnection.class.getName();

	private static final Log logger = LogFactory.getLog(ProtocolWebSocketHandler.class);

	private static final boolean JETTY_API_PRESENT = ClassUtils
		.isPresent("org.eclipse.jetty.websocket.api.Session", ProtocolWebSocketHandler.class.getClassLoader());

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		ProtocolConnection connection = connection(session);
		Assert.state(connection != null, "No connection for this session: was the handshake done by ProtocolUpgradeStrategy?");
		connection.open(transport(session, connection.getEndpoint().settings()));
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
		ProtocolConnection connection = connection(session);
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
			logger.debug("Transport error on " + session, exception);
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
		// Jetty may keep a closed session (and its attributes) for a while: let go of the
		// connection so the protocol instance becomes garbage.
		ProtocolConnection connection = (ProtocolConnection) session.getAttributes().remove(CONNECTION_ATTRIBUTE);
		if (connection != null) {
			connection.closed(closeStatus.getCode(), closeStatus.getReason());
		}
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	private static @Nullable ProtocolConnection connection(WebSocketSession session) {
		return (ProtocolConnection) session.getAttributes().get(CONNECTION_ATTRIBUTE);
	}

	private static Transport transport(WebSocketSession session, EndpointSettings settings) {
		Object nativeSession = ((NativeWebSocketSession) session).getNativeSession();
		if (JETTY_API_PRESENT && JettySessionTransport.isJettySession(nativeSession)) {
			return new JettySessionTransport((org.eclipse.jetty.websocket.api.Session) nativeSession, settings);
		}
		if (nativeSession instanceof Session standard) {
			return new StandardSessionTransport(standard, settings);
		}
		throw new IllegalStateException("Unsupported WebSocket session type " + nativeSession);
	}

}
