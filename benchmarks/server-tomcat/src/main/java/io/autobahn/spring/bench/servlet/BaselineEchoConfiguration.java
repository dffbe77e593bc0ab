package io.autobahn.spring.bench.servlet;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * The hand-written baseline: a plain Spring {@link AbstractWebSocketHandler} that echoes (and, on
 * {@code /bcast}, a {@link BaselineBroadcastHandler} for the broadcast scenarios), with the
 * container's message buffers raised so that a 1 MiB message fits (Tomcat's default is 8 KiB,
 * Jetty's 64 KiB).
 * The starter's auto-configuration is excluded in this profile (application-baseline.properties).
 */
@Profile("baseline")
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class BaselineEchoConfiguration implements WebSocketConfigurer {

	static final int MAX_MESSAGE = 2 * 1024 * 1024;

	static final Duration IDLE_TIMEOUT = Duration.ZERO;

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(new EchoHandler(), "/echo");
		registry.addHandler(new BaselineBroadcastHandler(), "/bcast");
	}

	/**
	 * Tomcat allocates both buffers for every connection up front: 2 MiB each (enough for the 1 MiB
	 * scenario) costs 4 MiB per connection, so the idle-connections run sets
	 * {@code bench.message-buffer} lower (run.sh).
	 */
	@Bean
	ServletServerContainerFactoryBean createWebSocketContainer(
			@Value("${bench.message-buffer:2MB}") DataSize messageBuffer) {
		ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
		container.setMaxTextMessageBufferSize((int) messageBuffer.toBytes());
		container.setMaxBinaryMessageBufferSize((int) messageBuffer.toBytes());
		return container;
	}

	static class EchoHandler extends AbstractWebSocketHandler {

		/**
		 * On Jetty, Spring uses Jetty's own API, whose message limit (64 KiB by default) the
		 * container bean above does not reach: raise it on the native session, as a Jetty user must.
		 * Jetty also closes a connection idle for 30 s, and opening 10,000 of them for the idle run
		 * can take about that long: no idle timeout, as the starter's Jetty sessions have.
		 * (Reflection only because these sources are compiled for Tomcat too.)
		 */
		@Override
		public void afterConnectionEstablished(WebSocketSession session) throws Exception {
			raiseJettyLimits(session);
		}

		static void raiseJettyLimits(WebSocketSession session) throws Exception {
			if (session instanceof NativeWebSocketSession nativeSession) {
				Object jetty = nativeSession.getNativeSession();
				if (jetty != null && jetty.getClass().getName().startsWith("org.eclipse.jetty")) {
					for (String setter : new String[] { "setMaxTextMessageSize", "setMaxBinaryMessageSize" }) {
						jetty.getClass().getMethod(setter, long.class).invoke(jetty, (long) MAX_MESSAGE);
					}
					jetty.getClass().getMethod("setIdleTimeout", Duration.class).invoke(jetty, IDLE_TIMEOUT);
				}
			}
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			session.sendMessage(message);
		}

		@Override
		protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws Exception {
			session.sendMessage(message);
		}

	}

}
