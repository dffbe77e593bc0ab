package io.autobahn.spring.websocket.reactive;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketClientExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateClientExtensionHandshaker;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import reactor.netty.resources.LoopResources;
import reactor.netty.transport.ProxyProvider;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.http.HttpHeaders;

import io.autobahn.spring.websocket.ConnectionResponse;
import io.autobahn.spring.websocket.WebSocketConnectException;
import io.autobahn.spring.websocket.client.ClientHandshake;
import io.autobahn.spring.websocket.client.ClientTransport;
import io.autobahn.spring.websocket.client.ConnectFailures;
import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.StackConnection;
import io.autobahn.spring.websocket.handshake.Peers;

/**
 * A {@link ClientTransport} on Reactor Netty's WebSocket client, the fastest client path
 * measured here. After the {@code 101} the connection runs exactly as a server connection
 * on Reactor Netty does, through the same {@link ReactorNettyConnectionHandler} and
 * {@link ReactorNettyTransport} (the frame validators, the close frame guard, the inbound
 * budgets); Netty masks what the client sends and refuses masked frames from the server.
 * permessage-deflate is offered with an inflater bounded by
 * {@code max-message-payload-size}, as on the server (Reactor Netty's own
 * {@code compress(true)} inflates without a bound). Certificates and host names are
 * verified for {@code wss}. Runs on the application's Reactor Netty loops where given,
 * else Reactor Netty's global ones; a new TCP connection for every connect (no pool).
 */
public final class ReactorNettyClientTransport implements ClientTransport {

	/** The transport's name. */
	public static final String NAME = "reactor-netty";

	private static final String RESPONSE_RECORDER = "autobahn-handshake-response";

	/** The most of a refused handshake's body kept for the exception. */
	private static final int MAX_BODY = 1024;

	/** As the server side: room for a frame that compression made slightly larger. */
	private static final int FRAME_OVERHEAD = 1024;

	private static final int MAX_WINDOW_BITS = 15;

	private final HttpClient client;

	/**
	 * Create a transport on the given loops.
	 * @param loops the event loops to run on, or {@code null} for Reactor Netty's global
	 * ones
	 */
	public ReactorNettyClientTransport(@Nullable LoopResources loops) {
		HttpClient client = HttpClient.newConnection().followRedirect(false);
		this.client = (loops != null) ? client.runOn(loops) : client;
	}

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public Connecting connect(ClientHandshake handshake, Callbacks callbacks) {
		URI uri = handshake.uri();
		EndpointSettings settings = handshake.settings();
		AtomicReference<@Nullable Refusal> refusal = new AtomicReference<>();
		HttpClient client = this.client.headers((headers) -> handshake.headers().forEach(headers::add))
			.doOnConnected((connection) -> prepare(connection, settings, refusal));
		Duration timeout = settings.openHandshakeTimeout();
		if (!timeout.isZero() && !timeout.isNegative()) {
			client = client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
					(int) Math.min(timeout.toMillis(), Integer.MAX_VALUE));
		}
		if (handshake.isSecure()) {
			SslBundle bundle = handshake.sslBundle();
			client = client.secure((spec) -> spec.sslContext(sslContextSpec(bundle)));
		}
		InetSocketAddress proxy = handshake.proxy();
		if (proxy != null) {
			client = client.proxy((spec) -> spec.type(ProxyProvider.Proxy.HTTP).socketAddress(proxy));
		}
		WebsocketClientSpec.Builder spec = WebsocketClientSpec.builder()
			.maxFramePayloadLength(frameLimit(settings))
			.handlePing(true)
			// Offered by prepare() instead, with a bounded inflater.
			.compress(false);
		if (!handshake.subprotocols().isEmpty()) {
			spec.protocols(String.join(",", handshake.subprotocols()));
		}
		Disposable subscription = client.websocket(spec.build())
			.uri(uri)
			.handle((in, out) -> upgraded(in, out, settings, callbacks))
			.subscribe(null, (failure) -> callbacks.failed(failure(uri, failure, refusal.get())));
		return subscription::dispose;
	}

	/**
	 * Before the opening handshake is written: offer permessage-deflate with a bounded
	 * inflater, and keep the response of a refused handshake (Netty's handshake exception
	 * keeps only its status and headers).
	 */
	private static void prepare(Connection connection, EndpointSettings settings,
			AtomicReference<@Nullable Refusal> refusal) {
		if (settings.perMessageCompression()) {
			connection.addHandlerFirst(NettyPipeline.WsCompressionHandler,
					new WebSocketClientExtensionHandler(new PerMessageDeflateClientExtensionHandshaker(6,
							ZlibCodecFactory.isSupportingWindowSizeAndMemLevel(), MAX_WINDOW_BITS, true, false,
							// One byte more than the limit, so a message of exactly the
							// limit inflates.
							(int) Math.min(settings.maxMessagePayloadSize() + 1, Integer.MAX_VALUE))));
		}
		connection.addHandlerLast(RESPONSE_RECORDER, new ResponseRecorder(refusal));
	}

	private static Publisher<Void> upgraded(WebsocketInbound in, WebsocketOutbound out, EndpointSettings settings,
			Callbacks callbacks) {
		Channel[] channel = new Channel[1];
		in.withConnection((connection) -> channel[0] = connection.channel());
		SocketAddress remote = channel[0].remoteAddress();
		InetSocketAddress server = (remote instanceof InetSocketAddress address) ? address
				: InetSocketAddress.createUnresolved("unknown", 0);
		String subprotocol = in.selectedSubprotocol();
		subprotocol = (subprotocol == null || subprotocol.isEmpty()) ? null : subprotocol;
		HttpHeaders headers = new HttpHeaders();
		in.headers().forEach((header) -> headers.add(header.getKey(), header.getValue()));
		List<String> extensions = ReactorNettyConnectionHandler.negotiatedExtensions(channel[0]);
		StackConnection connection = callbacks
			.upgraded(new ConnectionResponse(Peers.format(server), headers, 13, subprotocol, extensions), server);
		if (connection == null) {
			channel[0].close();
			return Mono.empty();
		}
		return new ReactorNettyConnectionHandler(connection, subprotocol, settings).handle(in, out);
	}

	private static WebSocketConnectException failure(URI uri, Throwable failure, @Nullable Refusal refusal) {
		if (refusal != null) {
			return ConnectFailures.refused(uri, refusal.status(), refusal.headers(), refusal.body(), failure);
		}
		WebSocketClientHandshakeException handshake = ConnectFailures.find(failure,
				WebSocketClientHandshakeException.class);
		HttpResponse response = (handshake != null) ? handshake.response() : null;
		if (response != null && response.status().code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
			return ConnectFailures.refused(uri, response.status().code(), headers(response), null, failure);
		}
		if (handshake != null) {
			return ConnectFailures.invalidResponse(uri, String.valueOf(handshake.getMessage()), failure);
		}
		CodecException extension = ConnectFailures.find(failure, CodecException.class);
		if (extension != null && String.valueOf(extension.getMessage()).contains("Extension")) {
			return ConnectFailures.invalidResponse(uri, String.valueOf(extension.getMessage()), failure);
		}
		if (ConnectFailures.find(failure, PrematureCloseException.class) != null) {
			return new WebSocketConnectException(uri, WebSocketConnectException.Reason.CONNECTION_FAILED,
					"the server closed the connection before it answered the opening handshake", failure);
		}
		return ConnectFailures.of(uri, failure);
	}

	private static int frameLimit(EndpointSettings settings) {
		long limit = (settings.maxFramePayloadSize() > 0) ? settings.maxFramePayloadSize()
				: settings.maxMessagePayloadSize() + FRAME_OVERHEAD;
		return (int) Math.min(limit, Integer.MAX_VALUE);
	}

	/**
	 * As Spring Boot's {@code SslServerCustomizer} builds Reactor Netty's TLS from a
	 * bundle, for a client.
	 */
	private static Http11SslContextSpec sslContextSpec(@Nullable SslBundle bundle) {
		Http11SslContextSpec spec = Http11SslContextSpec.forClient();
		if (bundle == null) {
			return spec;
		}
		return spec.configure((builder) -> {
			builder.trustManager(bundle.getManagers().getTrustManagerFactory());
			builder.keyManager(bundle.getManagers().getKeyManagerFactory());
			SslOptions options = bundle.getOptions();
			builder.protocols(options.getEnabledProtocols());
			builder.ciphers(SslOptions.asSet(options.getCiphers()));
		});
	}

	private static HttpHeaders headers(HttpResponse response) {
		HttpHeaders headers = new HttpHeaders();
		response.headers().forEach((header) -> headers.add(header.getKey(), header.getValue()));
		return headers;
	}

	/**
	 * A refused handshake's response.
	 *
	 * @param status its status
	 * @param headers its headers
	 * @param body the start of its body, as text
	 */
	private record Refusal(int status, HttpHeaders headers, String body) {
	}

	/**
	 * Keeps the status, headers and the start of the body ({@value #MAX_BODY} bytes at
	 * most) of the handshake's response when it is not a {@code 101}, then leaves the
	 * pipeline.
	 */
	private static final class ResponseRecorder extends ChannelInboundHandlerAdapter {

		private final AtomicReference<@Nullable Refusal> refusal;

		ResponseRecorder(AtomicReference<@Nullable Refusal> refusal) {
			this.refusal = refusal;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof FullHttpResponse response) {
				int status = response.status().code();
				if (status != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
					ByteBuf content = response.content();
					String body = content.toString(content.readerIndex(), Math.min(MAX_BODY, content.readableBytes()),
							StandardCharsets.UTF_8);
					this.refusal.set(new Refusal(status, headers(response), body));
				}
				ctx.pipeline().remove(this);
			}
			ctx.fireChannelRead(msg);
		}

	}

}
