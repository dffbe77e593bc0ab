package io.autobahn.spring.websocket.servlet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.Transport;

/**
 * A {@link Transport} over Jetty's native WebSocket {@link Session}, which Spring uses on
 * Jetty. Incoming messages reach the starter in parts ({@link JettyPartialMessageListener}),
 * which it assembles under its own limits (Jetty's message size limits apply only to
 * listeners that take whole messages, so they are not set). Sends wait for Jetty's callback
 * for at most {@code send-time-limit}.
 */
final class JettySessionTransport implements Transport {

	private final Session session;

	private final long sendTimeoutMillis;

	JettySessionTransport(Session session, EndpointSettings settings) {
		this.session = session;
		this.sendTimeoutMillis = settings.sendTimeLimit().toMillis();
		// Like Autobahn (and Tomcat), idle connections stay open; auto-ping detects dead peers.
		session.setIdleTimeout(Duration.ZERO);
	}

	static boolean isJettySession(Object nativeSession) {
		return nativeSession instanceof Session;
	}

	@Override
	public void sendText(String text, boolean last) throws IOException {
		Callback.Completable callback = new Callback.Completable();
		this.session.sendPartialText(text, last, callback);
		await(callback);
	}

	@Override
	public void sendBinary(ByteBuffer data, boolean last) throws IOException {
		Callback.Completable callback = new Callback.Completable();
		this.session.sendPartialBinary(data, last, callback);
		await(callback);
	}

	@Override
	public void sendPing(ByteBuffer payload) throws IOException {
		Callback.Completable callback = new Callback.Completable();
		this.session.sendPing(payload, callback);
		await(callback);
	}

	@Override
	public void sendPong(ByteBuffer payload) throws IOException {
		Callback.Completable callback = new Callback.Completable();
		this.session.sendPong(payload, callback);
		await(callback);
	}

	@Override
	public void close(@Nullable Integer code, @Nullable String reason) {
		this.session.close((code != null) ? code : StatusCode.NO_CODE, reason, Callback.NOOP);
	}

	@Override
	public void abort() {
		this.session.disconnect();
	}

	@Override
	public @Nullable String getSubprotocol() {
		String subprotocol = this.session.getUpgradeResponse().getAcceptedSubProtocol();
		return (subprotocol != null && !subprotocol.isEmpty()) ? subprotocol : null;
	}

	@Override
	public List<String> getExtensions() {
		return this.session.getUpgradeResponse().getExtensions().stream().map(ExtensionConfig::getName).toList();
	}

	private void await(Callback.Completable callback) throws IOException {
		try {
			callback.get(this.sendTimeoutMillis, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof IOException io) ? io : new IOException(ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IOException("Send did not complete within " + this.sendTimeoutMillis + " ms", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while sending", ex);
		}
	}

}
