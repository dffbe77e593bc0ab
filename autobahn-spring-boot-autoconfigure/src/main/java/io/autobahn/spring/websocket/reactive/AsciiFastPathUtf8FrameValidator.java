package io.autobahn.spring.websocket.reactive;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Validates the UTF-8 of every text message of a Reactor Netty connection, as Netty's
 * {@link Utf8FrameValidator} does (and in its place: Reactor Netty's handshaker leaves
 * text validation to the application), but cheaper ({@link Utf8Validation}): ASCII, in
 * whole messages or fragments, is checked eight bytes at a time, and the byte-by-byte
 * check runs only from the first byte that is not ASCII. A character may be split between
 * fragments. Invalid text fails the connection as Netty's validator does: a close frame
 * with 1007 ({@code bytes are not UTF-8}), the connection closed once it is written, and
 * a {@link CorruptedWebSocketFrameException} down the pipeline, which ends the inbound
 * with an error. One per connection, on its event loop.
 */
final class AsciiFastPathUtf8FrameValidator extends ChannelInboundHandlerAdapter {

	private static final String NOT_UTF8 = "bytes are not UTF-8";

	/** Whether a text message is in progress, and where its validation stands. */
	private boolean inText;

	private int state = Utf8Validation.ACCEPT;

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (msg instanceof WebSocketFrame frame) {
			if (frame instanceof TextWebSocketFrame) {
				this.inText = true;
				this.state = Utf8Validation.ACCEPT;
				check(ctx, frame);
			}
			else if (frame instanceof ContinuationWebSocketFrame) {
				if (this.inText) {
					check(ctx, frame);
				}
			}
			else if (frame instanceof BinaryWebSocketFrame) {
				this.inText = false;
			}
		}
		ctx.fireChannelRead(msg);
	}

	private void check(ChannelHandlerContext ctx, WebSocketFrame frame) {
		this.state = Utf8Validation.validate(this.state, frame.content());
		boolean last = frame.isFinalFragment();
		if (this.state == Utf8Validation.REJECT || (last && this.state != Utf8Validation.ACCEPT)) {
			this.inText = false;
			protocolViolation(ctx, frame);
		}
		if (last) {
			this.inText = false;
		}
	}

	private static void protocolViolation(ChannelHandlerContext ctx, WebSocketFrame frame) {
		frame.release();
		if (ctx.channel().isOpen()) {
			ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code(), NOT_UTF8))
				.addListener(ChannelFutureListener.CLOSE);
		}
		throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.INVALID_PAYLOAD_DATA, NOT_UTF8);
	}

}
