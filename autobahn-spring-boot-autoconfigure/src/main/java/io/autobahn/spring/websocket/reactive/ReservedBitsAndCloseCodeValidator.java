package io.autobahn.spring.websocket.reactive;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Fails the connection with 1002 for the two frames Reactor Netty's decoder lets through:
 * a frame with reserved bits that no negotiated extension claimed (its decoder runs with
 * extensions allowed, and the permessage-deflate decoder clears only the bit it owns) and
 * a close frame with a code of 5000 or more, which RFC 6455 7.4 leaves undefined. Sits
 * after the extension decoders, like Netty's {@code Utf8FrameValidator}, and answers the
 * same way: a close frame, then the connection closed.
 */
final class ReservedBitsAndCloseCodeValidator extends ChannelInboundHandlerAdapter {

	private static final int HIGHEST_CLOSE_CODE = 4999;

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof WebSocketFrame frame) {
			if (frame.rsv() != 0) {
				fail(ctx, frame, "RSV bits " + Integer.toBinaryString(frame.rsv()) + " set without an extension");
			}
			if (frame instanceof CloseWebSocketFrame close && close.statusCode() > HIGHEST_CLOSE_CODE) {
				fail(ctx, frame, "Invalid close code " + close.statusCode());
			}
		}
		ctx.fireChannelRead(msg);
	}

	private static void fail(ChannelHandlerContext ctx, WebSocketFrame frame, String reason) {
		frame.release();
		if (ctx.channel().isOpen()) {
			ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR, reason))
				.addListener(ChannelFutureListener.CLOSE);
		}
		throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, reason);
	}

}
