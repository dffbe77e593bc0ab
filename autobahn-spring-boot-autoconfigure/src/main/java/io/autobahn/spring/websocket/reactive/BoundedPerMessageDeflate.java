package io.autobahn.spring.websocket.reactive;

import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionDecoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;

import org.jspecify.annotations.Nullable;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.ClassUtils;

import io.autobahn.spring.websocket.handshake.DeflateOffers;

/**
 * Negotiates permessage-deflate for a Reactor Netty upgrade with an inflater bounded by
 * the endpoint's message limit. Reactor Netty's own {@code compress(true)} inflates
 * without a bound, so a small compressed frame could make the server allocate far more
 * than {@code max-message-payload-size} before the starter sees the message. The set-up
 * mirrors what Reactor Netty does for {@code compress(true)}: the extension handler reads
 * the upgrade request, sits after the HTTP codec, and installs the codec when the
 * {@code 101} is written. Every valid RFC 7692 offer that the encoder can honour is
 * accepted, with {@code server_no_context_takeover} and with a
 * {@code server_max_window_bits} of 9 to 15 when JZlib is on the classpath (the JDK's
 * {@code Deflater} has only a 15-bit window); an offer of a window it cannot keep to, or
 * of an invalid one, is declined rather than accepted and then failed at the first
 * compressed message.
 */
final class BoundedPerMessageDeflate {

	private static final int COMPRESSION_LEVEL = 6;

	private static final int MAX_WINDOW_BITS = 15;

	/** zlib's raw deflate has no 8-bit window. */
	private static final int MIN_SERVER_WINDOW_BITS = 9;

	private static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";

	private static final boolean JZLIB_PRESENT = ClassUtils.isPresent("com.jcraft.jzlib.JZlib",
			BoundedPerMessageDeflate.class.getClassLoader());

	private BoundedPerMessageDeflate() {
	}

	/**
	 * Prepare the connection's pipeline before the handshake response is written.
	 * @param connection the connection being upgraded
	 * @param request the upgrade request
	 * @param maxMessageSize the largest message the endpoint accepts, after decompression
	 */
	static void install(Connection connection, ServerHttpRequest request, long maxMessageSize) {
		ChannelPipeline pipeline = connection.channel().pipeline();
		HttpHeaders headers = new DefaultHttpHeaders();
		request.getHeaders().forEach(headers::add);
		WebSocketServerExtensionHandler handler = new WebSocketServerExtensionHandler(new ServerWindowHandshaker(
				new PerMessageDeflateServerExtensionHandshaker(COMPRESSION_LEVEL, true, MAX_WINDOW_BITS, true, false,
						// One byte more than the limit, so a message of exactly the limit
						// inflates.
						(int) Math.min(maxMessageSize + 1, Integer.MAX_VALUE))));
		ChannelHandlerContext bridge = pipeline.context(NettyPipeline.ReactiveBridge);
		try {
			handler.channelRead(bridge, new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
					request.getURI().getRawPath(), headers));
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not negotiate permessage-deflate", ex);
		}
		pipeline.addAfter(codecName(pipeline), NettyPipeline.WsCompressionHandler, handler);
	}

	/**
	 * Return whether an inbound failure is the bounded inflater refusing to go on.
	 * @param failure the failure
	 * @return whether a message inflated past the limit
	 */
	static boolean isInflatedPastLimit(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DecompressionException) {
				return true;
			}
		}
		return false;
	}

	private static String codecName(ChannelPipeline pipeline) {
		if (pipeline.get(NettyPipeline.HttpCodec) != null) {
			return NettyPipeline.HttpCodec;
		}
		ChannelHandler codec = pipeline.get(HttpServerCodec.class);
		ChannelHandlerContext context = (codec != null) ? pipeline.context(codec) : null;
		if (context == null) {
			throw new IllegalStateException("No HTTP codec in the pipeline to negotiate permessage-deflate after");
		}
		return context.name();
	}

	/**
	 * Netty's handshaker, declining the offers RFC 7692 calls invalid (Netty throws on
	 * some and accepts others) and those of a window the encoder cannot compress with,
	 * and answering an accepted {@code server_max_window_bits} as RFC 7692 7.1.2.1
	 * requires, also when it is 15 (which Netty leaves out of the response).
	 */
	private static final class ServerWindowHandshaker implements WebSocketServerExtensionHandshaker {

		private final WebSocketServerExtensionHandshaker delegate;

		ServerWindowHandshaker(WebSocketServerExtensionHandshaker delegate) {
			this.delegate = delegate;
		}

		@Override
		public @Nullable WebSocketServerExtension handshakeExtension(WebSocketExtensionData offer) {
			if (!DeflateOffers.isValid(offer.parameters())) {
				return null;
			}
			String bits = null;
			for (Map.Entry<String, String> parameter : offer.parameters().entrySet()) {
				if (SERVER_MAX_WINDOW_BITS.equalsIgnoreCase(parameter.getKey())) {
					bits = parameter.getValue();
				}
			}
			if (bits != null && !isSupportedServerWindow(Integer.parseInt(bits))) {
				return null;
			}
			WebSocketServerExtension extension = this.delegate.handshakeExtension(offer);
			return (extension != null && bits != null) ? new ServerWindowAnswered(extension, bits) : extension;
		}

		private static boolean isSupportedServerWindow(int bits) {
			return bits == MAX_WINDOW_BITS || (JZLIB_PRESENT && bits >= MIN_SERVER_WINDOW_BITS);
		}

	}

	/** An accepted extension whose response always names the server window. */
	private record ServerWindowAnswered(WebSocketServerExtension extension,
			String bits) implements WebSocketServerExtension {

		@Override
		public int rsv() {
			return this.extension.rsv();
		}

		@Override
		public WebSocketExtensionEncoder newExtensionEncoder() {
			return this.extension.newExtensionEncoder();
		}

		@Override
		public WebSocketExtensionDecoder newExtensionDecoder() {
			return this.extension.newExtensionDecoder();
		}

		@Override
		public WebSocketExtensionData newReponseData() {
			WebSocketExtensionData data = this.extension.newReponseData();
			if (data.parameters().containsKey(SERVER_MAX_WINDOW_BITS)) {
				return data;
			}
			Map<String, String> parameters = new LinkedHashMap<>(data.parameters());
			parameters.put(SERVER_MAX_WINDOW_BITS, this.bits);
			return new WebSocketExtensionData(data.name(), parameters);
		}

	}

}
