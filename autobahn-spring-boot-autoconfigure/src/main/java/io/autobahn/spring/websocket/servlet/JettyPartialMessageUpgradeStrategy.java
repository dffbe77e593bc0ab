package io.autobahn.spring.websocket.servlet;

import java.lang.reflect.UndeclaredThrowableException;
import java.security.Principal;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.websocket.server.JettyWebSocketCreator;
import org.eclipse.jetty.ee11.websocket.server.JettyWebSocketServerContainer;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.util.Assert;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.adapter.jetty.JettyWebSocketSession;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;

/**
 * Spring's {@link JettyRequestUpgradeStrategy} with a Jetty listener that takes partial
 * messages ({@link JettyPartialMessageListener}) instead of Spring's adapter, which only
 * takes whole ones and so makes Jetty buffer every message up to its size limit before
 * the starter sees a byte of it. With partial messages the starter assembles them, under
 * {@code max-message-payload-size} and the inbound budget, as on Tomcat. Everything else
 * (versions, extensions, {@code addWebSocketConfigurer}) is Spring's. Loaded only when
 * Jetty's WebSocket server is present.
 */
final class JettyPartialMessageUpgradeStrategy extends JettyRequestUpgradeStrategy {

	@Override
	public void upgrade(ServerHttpRequest request, ServerHttpResponse response, @Nullable String selectedProtocol,
			List<WebSocketExtension> selectedExtensions, @Nullable Principal user, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws HandshakeFailureException {
		Assert.isInstanceOf(ServletServerHttpRequest.class, request, "ServletServerHttpRequest required");
		Assert.isInstanceOf(ServletServerHttpResponse.class, response, "ServletServerHttpResponse required");
		HttpServletRequest servletRequest = ((ServletServerHttpRequest) request).getServletRequest();
		HttpServletResponse servletResponse = ((ServletServerHttpResponse) response).getServletResponse();
		JettyPartialMessageListener listener = new JettyPartialMessageListener(wsHandler,
				new JettyWebSocketSession(attributes, user));
		JettyWebSocketCreator creator = (upgradeRequest, upgradeResponse) -> {
			if (selectedProtocol != null) {
				upgradeResponse.setAcceptedSubProtocol(selectedProtocol);
			}
			return listener;
		};
		JettyWebSocketServerContainer container = JettyWebSocketServerContainer
			.getContainer(servletRequest.getServletContext());
		try {
			container.upgrade(creator, servletRequest, servletResponse);
		}
		catch (UndeclaredThrowableException ex) {
			throw new HandshakeFailureException("Failed to upgrade", ex.getUndeclaredThrowable());
		}
		catch (Exception ex) {
			throw new HandshakeFailureException("Failed to upgrade", ex);
		}
	}

}
