package io.autobahn.spring.bench.reactive;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

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

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The hand-written baseline: a WebFlux {@link WebSocketHandler} that echoes every message (and,
 * on {@code /bcast}, one that broadcasts, for the broadcast scenarios), with
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
		return new SimpleUrlHandlerMapping(Map.of("/echo", echo, "/bcast", broadcast()), -1);
	}

	/**
	 * The hand-written broadcast, as WebFlux users write it: one {@link Sinks.Many} multicast
	 * sink ({@code directBestEffort}: a subscriber that is not ready misses the message, the
	 * others get it), into which each session's incoming messages go, and out of which each session
	 * sends all messages but its own, made into a message of its own ({@code session.textMessage}:
	 * the text encoded per session, as {@code session.binaryMessage} wraps the bytes).
	 */
	static WebSocketHandler broadcast() {
		Sinks.Many<Said> sink = Sinks.many().multicast().directBestEffort();
		Sinks.EmitFailureHandler retry = Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1));
		return (session) -> {
			Mono<Void> in = session.receive()
				.doOnNext((message) -> sink.emitNext(Said.of(session.getId(), message), retry))
				.then();
			Mono<Void> out = session.send(sink.asFlux()
				.filter((said) -> !said.sender().equals(session.getId()))
				.map((said) -> (said.text() != null) ? session.textMessage(said.text())
						: session.binaryMessage((factory) -> factory.wrap(said.bytes()))));
			return Mono.when(in, out);
		};
	}

	/** One message to broadcast: its sender's session id, and its text or its bytes. */
	record Said(String sender, @Nullable String text, byte @Nullable [] bytes) {

		static Said of(String sender, WebSocketMessage message) {
			if (message.getType() == WebSocketMessage.Type.TEXT) {
				return new Said(sender, message.getPayloadAsText(), null);
			}
			byte[] bytes = new byte[message.getPayload().readableByteCount()];
			message.getPayload().read(bytes);
			return new Said(sender, null, bytes);
		}

	}

	@Bean
	WebSocketHandlerAdapter webSocketHandlerAdapter() {
		return new WebSocketHandlerAdapter(new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
				() -> WebsocketServerSpec.builder().maxFramePayloadLength(MAX_FRAME))));
	}

}
