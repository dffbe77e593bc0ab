package io.autobahn.spring.websocket.reactive;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Negotiates permessage-deflate for a Reactor Netty upgrade with an inflater bounded by the
 * endpoint's message limit. Reactor Netty's own {@code compress(true)} inflates without a
 * bound, so a small compressed frame could make the server allocate far more than
 * {@code max-message-payload-size} before the starter sees the message. The set-up mirrors
 * what Reactor Netty does for {@code compress(true)}: the extension handler reads the upgrade
 * request, sits after the HTTP codec, and installs the codec when the {@code 101} is written.
 */
final class BoundedPerMessageDeflate {

	private static final int COMPRESSION_LEVEL = 6;

	private static final int MAX_WINDOW_BITS = 15;

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
		WebSocketServerExtensionHandler handler = new WebSocketServerExtensionHandler(
				new PerMessageDeflateServerExtensionHandshaker(COMPRESSION_LEVEL,
						ZlibCodecFactory.isSupportingWindowSizeAndMemLevel(), MAX_WINDOW_BITS, false, false,
						// One byte more than the limit, so a message of exactly the limit inflates.
						(int) Math.min(maxMessageSize + 1, Integer.MAX_VALUE)));
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

}
