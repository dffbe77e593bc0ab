package io.autobahn.spring.websocket.reactive;

import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;

import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;

import io.autobahn.spring.websocket.ConnectionDeny;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.AcceptedConnection;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.handshake.ConnectionRequests;
import io.autobahn.spring.websocket.handshake.HandshakeRejection;

/**
 * Runs the endpoint's {@code onConnect} once Spring has validated the handshake, then
 * upgrades with Reactor Netty using the endpoint's settings (frame size,
 * permessage-deflate with a bounded inflater, pings handed to the application) and drives
 * the connection with a {@link ReactorNettyConnectionHandler}. A {@link ConnectionDeny}
 * answers its HTTP status with the reason as a plain-text body instead.
 */
final class ReactorNettyProtocolUpgradeStrategy implements RequestUpgradeStrategy {

	/**
	 * Room for a frame that compression made slightly larger than its message (where the
	 * message limit is enforced on each stack: see MessageAssembler).
	 */
	private static final int FRAME_OVERHEAD = 1024;

	private final ServerEndpoint endpoint;

	ReactorNettyProtocolUpgradeStrategy(ServerEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	@Override
	public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, @Nullable String subProtocol,
			Supplier<HandshakeInfo> handshakeInfoFactory) {
		return exchange.getPrincipal()
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((principal) -> upgrade(exchange, principal.orElse(null)));
	}

	/**
	 * Run {@code onConnect} and upgrade once it accepted. With {@code blocking-hooks} it
	 * runs on the bounded-elastic scheduler; a deferred accept is awaited without a
	 * thread. Either way the upgrade then continues on the connection's event loop.
	 */
	private Mono<Void> upgrade(ServerWebExchange exchange, @Nullable Principal principal) {
		ConnectionRequest request = ConnectionRequests.from(new ReactiveUpgradeRequest(exchange.getRequest()),
				principal, this.endpoint.getDefinition().settings().trustXForwardedFor());
		HttpServerResponse reactorResponse = ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse());
		Mono<AcceptedConnection> connection;
		if (this.endpoint.getDefinition().settings().blockingHooks()) {
			connection = Mono.defer(() -> Mono.fromFuture(this.endpoint.connect(request)))
				.subscribeOn(Schedulers.boundedElastic())
				.publishOn(eventLoop(reactorResponse));
		}
		else {
			CompletableFuture<AcceptedConnection> accepted = this.endpoint.connect(request);
			connection = accepted.isDone() ? Mono.fromFuture(accepted)
					: Mono.fromFuture(accepted).publishOn(eventLoop(reactorResponse));
		}
		return connection
			.onErrorResume(ConnectionDeny.class,
					(deny) -> ReactiveEndpointHandler.reject(exchange.getResponse(), HandshakeRejection.of(deny))
						.then(Mono.empty()))
			.flatMap((accepted) -> upgrade(exchange, reactorResponse, accepted));
	}

	private Mono<Void> upgrade(ServerWebExchange exchange, HttpServerResponse reactorResponse,
			AcceptedConnection accepted) {
		ServerHttpResponse response = exchange.getResponse();
		accepted.headers().forEach((name, values) -> response.getHeaders().addAll(name, values));
		WebsocketServerSpec spec = spec(accepted.subprotocol());
		EndpointSettings settings = this.endpoint.getDefinition().settings();
		ReactorNettyConnectionHandler handler = new ReactorNettyConnectionHandler(accepted, settings);
		return response.setComplete().then(Mono.defer(() -> {
			if (settings.perMessageCompression()) {
				reactorResponse.withConnection((nettyConnection) -> BoundedPerMessageDeflate.install(nettyConnection,
						exchange.getRequest(), settings.maxMessagePayloadSize()));
			}
			return reactorResponse.sendWebsocket(handler::handle, spec);
		})).doOnError((ex) -> accepted.connection().abandon()).doOnCancel(() -> accepted.connection().abandon());
	}

	private static Scheduler eventLoop(HttpServerResponse response) {
		Executor[] eventLoop = new Executor[1];
		response.withConnection((connection) -> eventLoop[0] = connection.channel().eventLoop());
		return Schedulers.fromExecutor(eventLoop[0]);
	}

	private WebsocketServerSpec spec(@Nullable String subprotocol) {
		EndpointSettings settings = this.endpoint.getDefinition().settings();
		long frameLimit = (settings.maxFramePayloadSize() > 0) ? settings.maxFramePayloadSize()
				: settings.maxMessagePayloadSize() + FRAME_OVERHEAD;
		WebsocketServerSpec.Builder builder = WebsocketServerSpec.builder()
			.maxFramePayloadLength((int) Math.min(frameLimit, Integer.MAX_VALUE))
			.handlePing(true)
			// Negotiated by BoundedPerMessageDeflate instead, with a bounded inflater.
			.compress(false);
		if (subprotocol != null) {
			builder.protocols(subprotocol);
		}
		return builder.build();
	}

}
