package io.autobahn.spring.websocket.servlet;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

import io.autobahn.spring.websocket.core.ServerEndpoint;

/**
 * The handshake handler of one endpoint, reached once the endpoint's
 * {@link io.autobahn.spring.websocket.core.HandshakeValidator} has accepted the request
 * (method, headers, version, origin); the subprotocol is left to {@code onConnect} and the
 * endpoint's {@code subprotocols}.
 */
public class ProtocolHandshakeHandler extends DefaultHandshakeHandler {

	/**
	 * Create a handshake handler for an endpoint, on the container's default upgrade
	 * strategy.
	 * @param endpoint the endpoint
	 */
	public ProtocolHandshakeHandler(ServerEndpoint endpoint) {
		this(endpoint, new DefaultHandshakeHandler().getRequestUpgradeStrategy());
	}

	/**
	 * Create a handshake handler for an endpoint on a given upgrade strategy.
	 * @param endpoint the endpoint
	 * @param upgradeStrategy the container's upgrade strategy
	 */
	public ProtocolHandshakeHandler(ServerEndpoint endpoint, RequestUpgradeStrategy upgradeStrategy) {
		super(new ProtocolUpgradeStrategy(endpoint, upgradeStrategy));
	}

	@Override
	protected @Nullable String selectProtocol(List<String> requestedProtocols, WebSocketHandler webSocketHandler) {
		return null;
	}

}
