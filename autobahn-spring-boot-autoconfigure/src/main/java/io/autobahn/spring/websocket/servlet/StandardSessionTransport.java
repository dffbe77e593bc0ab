package io.autobahn.spring.websocket.servlet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Extension;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.Transport;

/**
 * A {@link Transport} over a Jakarta WebSocket {@link Session} (Tomcat, or another JSR 356
 * container). Writes block for at most {@code send-time-limit}, which Tomcat enforces on
 * blocking sends. Tomcat reports a server-initiated close when its close frame is sent;
 * whether the peer answered shows as its session becoming closed.
 */
final class StandardSessionTransport implements Transport {

	private static final boolean TOMCAT_PRESENT = ClassUtils.isPresent("org.apache.tomcat.websocket.WsSession",
			StandardSessionTransport.class.getClassLoader());

	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	private final Session session;

	private final RemoteEndpoint.Basic remote;

	StandardSessionTransport(Session session, EndpointSettings settings) {
		this.session = session;
		this.remote = session.getBasicRemote();
		session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, settings.sendTimeLimit().toMillis());
	}

	@Override
	public void sendText(String text, boolean last) throws IOException {
		this.remote.sendText(text, last);
	}

	@Override
	public void sendBinary(ByteBuffer data, boolean last) throws IOException {
		this.remote.sendBinary(data, last);
	}

	@Override
	public void sendPing(ByteBuffer payload) throws IOException {
		this.remote.sendPing(payload);
	}

	@Override
	public void sendPong(ByteBuffer payload) throws IOException {
		this.remote.sendPong(payload);
	}

	@Override
	public void close(@Nullable Integer code, @Nullable String reason) throws IOException {
		// Jakarta WebSocket cannot send an empty close frame: 1000 is the closest.
		int status = (code != null) ? code : CloseReason.CloseCodes.NORMAL_CLOSURE.getCode();
		this.session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(status), (reason != null) ? reason : ""));
	}

	@Override
	public void abort() {
		if (TOMCAT_PRESENT && TomcatSessions.abort(this.session)) {
			return;
		}
		try {
			this.session.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "connection dropped"));
		}
		catch (IOException | RuntimeException ex) {
			// Already gone.
		}
	}

	@Override
	public boolean reportsCloseWhenSent() {
		// Tomcat's WsSession fires onClose once its own close frame is written.
		return TOMCAT_PRESENT && TomcatSessions.isTomcatSession(this.session);
	}

	@Override
	public boolean isPeerCloseReceived() {
		return TOMCAT_PRESENT && TomcatSessions.isClosed(this.session);
	}

	@Override
	public @Nullable String getSubprotocol() {
		String subprotocol = this.session.getNegotiatedSubprotocol();
		return (subprotocol != null && !subprotocol.isEmpty()) ? subprotocol : null;
	}

	@Override
	public List<String> getExtensions() {
		return this.session.getNegotiatedExtensions().stream().map(Extension::getName).toList();
	}

}
