package io.autobahn.spring.bench.reactive;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;

import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The hand-written baseline: a WebFlux {@link WebSocketHandler} that echoes every message, with
 * Reactor Netty's maximum frame raised from 64 KiB so that a 1 MiB message fits. The starter's
 * auto-configuration is excluded in this profile (application-baseline.properties).
 */
@Profile("baseline")
@Configuration(proxyBeanMethods = false)
public class BaselineEchoConfiguration {

	static final int MAX_FRAME = 2 * 1024 * 1024;

	@Bean
	HandlerMapping echoHandlerMapping() {
		WebSocketHandler echo = (session) -> session.send(session.receive().doOnNext(WebSocketMessage::retain));
		return new SimpleUrlHandlerMapping(Map.of("/echo", echo), -1);
	}

	@Bean
	WebSocketHandlerAdapter webSocketHandlerAdapter() {
		return new WebSocketHandlerAdapter(new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
				() -> WebsocketServerSpec.builder().maxFramePayloadLength(MAX_FRAME))));
	}

}
