package io.autobahn.spring.websocket.servlet;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

import io.autobahn.spring.websocket.core.ServerEndpoint;

/**
 * The handshake handler of one endpoint, reached once the endpoint's
 * {@link io.autobahn.spring.websocket.handshake.HandshakeValidator} has accepted the
 * request (method, headers, version, origin); the subprotocol is left to
 * {@code onConnect} and the endpoint's {@code subprotocols}.
 */
public class ProtocolHandshakeHandler extends DefaultHandshakeHandler {

	private static final boolean JETTY_SERVER_PRESENT = ClassUtils.isPresent(
			"org.eclipse.jetty.ee11.websocket.server.JettyWebSocketServerContainer",
			ProtocolHandshakeHandler.class.getClassLoader());

	/**
	 * Create a handshake handler for an endpoint, on the container's upgrade strategy.
	 * @param endpoint the endpoint
	 * @param handler the handler that binds a handler to each connection
	 */
	public ProtocolHandshakeHandler(ServerEndpoint endpoint, ProtocolWebSocketHandler handler) {
		this(endpoint, handler, containerStrategy());
	}

	/**
	 * Return the container's upgrade strategy as Spring detects it, except on Jetty:
	 * there one that hands the starter partial messages, so that Jetty does not buffer
	 * whole messages of its own.
	 * @return the upgrade strategy
	 */
	static RequestUpgradeStrategy containerStrategy() {
		RequestUpgradeStrategy strategy = new DefaultHandshakeHandler().getRequestUpgradeStrategy();
		if (JETTY_SERVER_PRESENT && strategy instanceof JettyRequestUpgradeStrategy) {
			return new JettyPartialMessageUpgradeStrategy();
		}
		return strategy;
	}

	/**
	 * Create a handshake handler for an endpoint on a given upgrade strategy.
	 * @param endpoint the endpoint
	 * @param handler the handler that binds a handler to each connection
	 * @param upgradeStrategy the container's upgrade strategy
	 */
	public ProtocolHandshakeHandler(ServerEndpoint endpoint, ProtocolWebSocketHandler handler,
			RequestUpgradeStrategy upgradeStrategy) {
		super(new ProtocolUpgradeStrategy(endpoint, handler, upgradeStrategy));
	}

	@Override
	protected @Nullable String selectProtocol(List<String> requestedProtocols, WebSocketHandler webSocketHandler) {
		return null;
	}

}
