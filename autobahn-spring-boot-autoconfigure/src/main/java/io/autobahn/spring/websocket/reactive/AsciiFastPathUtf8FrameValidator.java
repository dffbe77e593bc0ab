package io.autobahn.spring.websocket.reactive;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;

/**
 * Netty's {@link Utf8FrameValidator} with a shortcut for the common case: a whole text
 * message in one frame that is plain ASCII (checked eight bytes at a time) is valid UTF-8
 * and passes without Netty's byte-by-byte check. Everything else, fragmented messages
 * included, is checked by Netty as before.
 */
final class AsciiFastPathUtf8FrameValidator extends Utf8FrameValidator {

	private static final long HIGH_BITS = 0x8080808080808080L;

	AsciiFastPathUtf8FrameValidator() {
		super(true);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		// A final text frame starts and ends a message: no fragmented message is in progress
		// (the frame decoder rejects it otherwise), so Netty's validator has no state to keep.
		if (msg instanceof TextWebSocketFrame frame && frame.isFinalFragment() && isAscii(frame.content())) {
			ctx.fireChannelRead(msg);
			return;
		}
		super.channelRead(ctx, msg);
	}

	static boolean isAscii(ByteBuf buffer) {
		int index = buffer.readerIndex();
		int end = buffer.writerIndex();
		for (; index + Long.BYTES <= end; index += Long.BYTES) {
			// Little-endian: the native order on common hardware, no byte swap (the mask does not care).
			if ((buffer.getLongLE(index) & HIGH_BITS) != 0) {
				return false;
			}
		}
		for (; index < end; index++) {
			if (buffer.getByte(index) < 0) {
				return false;
			}
		}
		return true;
	}

}
