package io.autobahn.spring.websocket.reactive;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;

import io.autobahn.spring.websocket.WebSocketProtocol;
import io.autobahn.spring.websocket.core.StackConnection;

/**
 * Every close frame of one Reactor Netty connection passes here, on its way from whoever
 * wrote it (the starter, Reactor Netty, Netty's frame decoder and validators) to the
 * frame encoder:
 * <ul>
 * <li>Only the first goes out (RFC 6455 5.5.1: one close frame per side). The starter
 * writes a server-initiated close frame itself rather than through Reactor Netty's
 * {@code sendClose}, which would close the connection without waiting for the peer's
 * answer; when that answer arrives, Reactor Netty echoes it, and the echo is dropped here
 * (its write still succeeds, so Reactor Netty then closes the connection).</li>
 * <li>A {@code 1009} gets the starter's own reason,
 * {@value StackConnection#MESSAGE_TOO_BIG}, whoever found the message too big: Netty's
 * decoder writes its own text with its internal frame limit in it
 * ({@code Max frame length of 1049600 has been exceeded.}).</li>
 * </ul>
 * Runs on the channel's event loop, so its one field needs no synchronization.
 */
final class CloseFrameGuard extends ChannelOutboundHandlerAdapter {

	private static final String NAME = "autobahn-close-guard";

	private boolean closeWritten;

	/**
	 * Install the guard right after the WebSocket frame encoder, so that the close frames
	 * the frame decoder writes from its own position pass it too.
	 * @param channel the upgraded channel
	 */
	static void install(Channel channel) {
		ChannelPipeline pipeline = channel.pipeline();
		ChannelHandlerContext encoder = pipeline.context(WebSocketFrameEncoder.class);
		if (encoder != null && pipeline.get(NAME) == null) {
			pipeline.addAfter(encoder.name(), NAME, new CloseFrameGuard());
		}
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		Object out = msg;
		if (msg instanceof CloseWebSocketFrame close) {
			if (this.closeWritten) {
				close.release();
				promise.trySuccess();
				return;
			}
			this.closeWritten = true;
			if (close.statusCode() == WebSocketProtocol.CLOSE_STATUS_CODE_MESSAGE_TOO_BIG
					&& !StackConnection.MESSAGE_TOO_BIG.equals(close.reasonText())) {
				close.release();
				out = new CloseWebSocketFrame(WebSocketProtocol.CLOSE_STATUS_CODE_MESSAGE_TOO_BIG,
						StackConnection.MESSAGE_TOO_BIG);
			}
		}
		ctx.write(out, promise);
	}

}
