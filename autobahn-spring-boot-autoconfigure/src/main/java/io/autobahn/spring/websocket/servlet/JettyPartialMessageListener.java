package io.autobahn.spring.websocket.servlet;

import java.nio.ByteBuffer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.adapter.jetty.JettyWebSocketSession;
import org.springframework.web.socket.handler.ExceptionWebSocketHandlerDecorator;

/**
 * A Jetty listener that hands Spring's {@link WebSocketHandler} every frame's share of a
 * message as a partial {@link TextMessage} or {@link BinaryMessage}, as Tomcat does for a
 * handler that supports partial messages. Jetty then aggregates nothing: it reads into
 * its small input buffer and, with its default auto-fragmentation, passes on what has
 * arrived of a large frame instead of collecting the frame first. Pings are left to
 * Jetty, which answers them itself, as with Spring's own adapter.
 * <p>
 * One per connection. Jetty calls it one event at a time and reads the next frame only
 * once a partial message has been handled (automatic demand), so a slow handler slows
 * reading instead of queueing frames. Public only because Jetty invokes its methods
 * through method handles, which need a public class; it is created by the starter alone.
 */
public final class JettyPartialMessageListener implements Session.Listener.AutoDemanding {

	private static final Log logger = LogFactory.getLog(JettyPartialMessageListener.class);

	private final WebSocketHandler handler;

	private final JettyWebSocketSession session;

	JettyPartialMessageListener(WebSocketHandler handler, JettyWebSocketSession session) {
		this.handler = handler;
		this.session = session;
	}

	@Override
	public void onWebSocketOpen(Session nativeSession) {
		try {
			this.session.initializeNativeSession(nativeSession);
			this.handler.afterConnectionEstablished(this.session);
		}
		catch (Throwable ex) {
			ExceptionWebSocketHandlerDecorator.tryCloseWithError(this.session, ex, logger);
		}
	}

	@Override
	public void onWebSocketPartialText(String payload, boolean last) {
		handle(new TextMessage(payload, last));
	}

	@Override
	public void onWebSocketPartialBinary(ByteBuffer payload, boolean last, Callback callback) {
		// The handler reads the payload before it returns; Jetty may reuse it afterwards.
		try {
			handle(new BinaryMessage(payload, last));
		}
		finally {
			callback.succeed();
		}
	}

	@Override
	public void onWebSocketPong(ByteBuffer payload) {
		handle(new PongMessage(payload));
	}

	@Override
	public void onWebSocketClose(int statusCode, String reason, Callback callback) {
		callback.succeed();
		try {
			this.handler.afterConnectionClosed(this.session, new CloseStatus(statusCode, reason));
		}
		catch (Throwable ex) {
			logger.warn("Unhandled exception after connection closed for " + this.session, ex);
		}
	}

	@Override
	public void onWebSocketError(Throwable cause) {
		try {
			this.handler.handleTransportError(this.session, cause);
		}
		catch (Throwable ex) {
			ExceptionWebSocketHandlerDecorator.tryCloseWithError(this.session, ex, logger);
		}
	}

	private void handle(WebSocketMessage<?> message) {
		try {
			this.handler.handleMessage(this.session, message);
		}
		catch (Throwable ex) {
			ExceptionWebSocketHandlerDecorator.tryCloseWithError(this.session, ex, logger);
		}
	}

}
