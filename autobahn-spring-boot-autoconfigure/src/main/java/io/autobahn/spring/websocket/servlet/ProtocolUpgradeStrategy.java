package io.autobahn.spring.websocket.servlet;

import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.Map;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.context.Lifecycle;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.context.ServletContextAware;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;

import io.autobahn.spring.websocket.ConnectionDeny;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.core.AcceptedConnection;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.handshake.ConnectionRequests;
import io.autobahn.spring.websocket.handshake.HandshakeRejection;

/**
 * Runs the endpoint's {@code onConnect} once Spring has validated the handshake and just
 * before the container sends the {@code 101}, then lets the container's own strategy
 * upgrade with the chosen subprotocol, the extra headers, and a handler bound to the
 * connection ({@link ProtocolWebSocketHandler#forConnection}) in place of the endpoint's
 * shared one. A {@link ConnectionDeny} answers its HTTP status with the reason as a
 * plain-text body instead.
 */
final class ProtocolUpgradeStrategy implements RequestUpgradeStrategy, ServletContextAware, Lifecycle {

	private final ServerEndpoint endpoint;

	private final ProtocolWebSocketHandler handler;

	private final RequestUpgradeStrategy delegate;

	ProtocolUpgradeStrategy(ServerEndpoint endpoint, ProtocolWebSocketHandler handler,
			RequestUpgradeStrategy delegate) {
		this.endpoint = endpoint;
		this.handler = handler;
		this.delegate = delegate;
	}

	@Override
	public String[] getSupportedVersions() {
		return this.delegate.getSupportedVersions();
	}

	@Override
	public List<WebSocketExtension> getSupportedExtensions(ServerHttpRequest request) {
		return this.delegate.getSupportedExtensions(request);
	}

	@Override
	public void upgrade(ServerHttpRequest request, ServerHttpResponse response, @Nullable String selectedProtocol,
			List<WebSocketExtension> selectedExtensions, @Nullable Principal user, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws HandshakeFailureException {
		ConnectionRequest connectionRequest = ConnectionRequests.from(new ServletUpgradeRequest(request), user,
				this.endpoint.getDefinition().settings().trustXForwardedFor());
		AcceptedConnection accepted;
		try {
			// A deferred accept holds this worker thread, at most open-handshake-timeout.
			accepted = this.endpoint.connectAndWait(connectionRequest);
		}
		catch (ConnectionDeny deny) {
			deny(response, deny);
			return;
		}
		// Until the container took the upgrade, this thread alone decides the
		// connection's fate: no timer watches it (ServerEndpoint.connectAndWait).
		try {
			HttpServletResponse servletResponse = ((ServletServerHttpResponse) response).getServletResponse();
			accepted.headers()
				.forEach((name, values) -> values.forEach((value) -> servletResponse.addHeader(name, value)));
			WebSocketHandler connectionHandler = this.handler.forConnection(accepted.connection(),
					this.endpoint.getDefinition().settings());
			this.delegate.upgrade(upgradeRequest(request), response, accepted.subprotocol(), selectedExtensions, user,
					connectionHandler, attributes);
		}
		catch (RuntimeException | Error ex) {
			accepted.connection().abandon();
			throw ex;
		}
		accepted.connection().upgradeTaken();
	}

	private ServerHttpRequest upgradeRequest(ServerHttpRequest request) {
		if (!this.endpoint.getDefinition().settings().perMessageCompression()) {
			return WithoutCompressionRequest.wrap(request);
		}
		return (this.delegate instanceof JettyRequestUpgradeStrategy)
				? WithoutCompressionRequest.withoutInvalidOrServerWindowOffers(request)
				: WithoutCompressionRequest.withoutInvalidOffers(request);
	}

	private static void deny(ServerHttpResponse response, ConnectionDeny deny) {
		try {
			HandshakeValidationInterceptor.reject(response, HandshakeRejection.of(deny));
		}
		catch (IOException ex) {
			throw new HandshakeFailureException("Failed to write the handshake refusal", ex);
		}
	}

	@Override
	public void setServletContext(ServletContext servletContext) {
		if (this.delegate instanceof ServletContextAware aware) {
			aware.setServletContext(servletContext);
		}
	}

	@Override
	public void start() {
		if (this.delegate instanceof Lifecycle lifecycle) {
			lifecycle.start();
		}
	}

	@Override
	public void stop() {
		if (this.delegate instanceof Lifecycle lifecycle) {
			lifecycle.stop();
		}
	}

	@Override
	public boolean isRunning() {
		return !(this.delegate instanceof Lifecycle lifecycle) || lifecycle.isRunning();
	}

}
