package io.autobahn.spring.websocket.servlet;

import jakarta.websocket.Session;

import org.springframework.util.ClassUtils;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.StackConnection;
import io.autobahn.spring.websocket.core.Transport;

/**
 * The {@link WebSocketHandler} of the endpoints on the servlet stack, as Spring's request
 * handler holds it. The starter's upgrade strategy does not hand it to the container: it
 * asks it for a handler bound to each connection ({@link #forConnection}), so that the
 * container's events reach their connection without a lookup per frame; its own event
 * methods are therefore never called by the starter, and refuse to be. Replace the bean
 * to decorate the handler of each connection. Stateless and thread-safe.
 */
public class ProtocolWebSocketHandler implements WebSocketHandler {

	private static final boolean JETTY_API_PRESENT = ClassUtils.isPresent("org.eclipse.jetty.websocket.api.Session",
			ProtocolWebSocketHandler.class.getClassLoader());

	/**
	 * Return the handler of one connection, which the container calls for the
	 * connection's life.
	 * @param connection the connection that {@code onConnect} accepted
	 * @param settings its endpoint's settings
	 * @return the handler
	 */
	public WebSocketHandler forConnection(StackConnection connection, EndpointSettings settings) {
		return new ConnectionWebSocketHandler(connection, (nativeSession) -> transport(nativeSession, settings));
	}

	private static Transport transport(Object nativeSession, EndpointSettings settings) {
		if (JETTY_API_PRESENT && JettySessionTransport.isJettySession(nativeSession)) {
			return new JettySessionTransport((org.eclipse.jetty.websocket.api.Session) nativeSession);
		}
		if (nativeSession instanceof Session standard) {
			return new StandardSessionTransport(standard, settings);
		}
		throw new IllegalStateException("Unsupported WebSocket session type " + nativeSession);
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		throw notBound();
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
		throw notBound();
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		throw notBound();
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
		throw notBound();
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	private static IllegalStateException notBound() {
		return new IllegalStateException("Connections of Autobahn WebSocket endpoints are upgraded by the "
				+ "starter's upgrade strategy, which gives each one a handler of its own (forConnection)");
	}

}
