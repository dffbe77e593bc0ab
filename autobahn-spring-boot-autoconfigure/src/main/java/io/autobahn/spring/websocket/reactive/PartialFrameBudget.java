package io.autobahn.spring.websocket.reactive;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.WebSocketProtocol;
import io.autobahn.spring.websocket.core.Budget;
import io.autobahn.spring.websocket.core.StackConnection;

/**
 * Counts against the endpoint's inbound {@link Budget} the payload bytes that Netty's
 * WebSocket frame decoder holds for a frame it has not received whole: the decoder emits
 * a frame only once all of it has arrived, so a client that sends one large frame slowly
 * makes it hold up to the frame limit ({@code max-message-payload-size} plus a little)
 * per connection before the starter's assembler sees a byte.
 * <p>
 * Sits just before the decoder and reads only each frame header's length, as the bytes
 * pass, to know how much of the current frame has arrived. Before it passes on bytes that
 * the decoder will keep, it reserves them; when the frame completes, the decoder hands
 * the payload on and the reservation is released. If the budget refuses, the connection
 * is closed with 1013 and every further byte is dropped here (the decoder will never
 * complete the frame it holds), watching only for the peer's close frame, whose code and
 * reason it reports to the connection (a clean close, as the peer answered) before it
 * closes the connection; the close handshake timeout ends it otherwise.
 * <p>
 * One per connection, on its event loop.
 */
final class PartialFrameBudget extends ChannelInboundHandlerAdapter {

	static final String NAME = "autobahn-partial-frame-budget";

	private static final int CLOSE = 0x8;

	private final StackConnection connection;

	private final Budget budget;

	/** The header of the current frame as far as it has arrived. */
	private final byte[] header = new byte[14];

	private int headerRead;

	/** Payload bytes of the current frame still to come. */
	private long payloadLeft;

	/** Payload bytes of the current, unfinished frame that have passed. */
	private long payloadReceived;

	/** Bytes reserved for the unfinished frame the decoder holds. */
	private long reserved;

	private boolean refused;

	/** The payload of the close frame passing, unmasked, as far as it has arrived. */
	private byte @Nullable [] closePayload;

	private int closePayloadRead;

	private final byte[] mask = new byte[4];

	PartialFrameBudget(StackConnection connection) {
		this.connection = connection;
		this.budget = connection.getInboundBudget();
	}

	/**
	 * Put a budget keeper before the connection's frame decoder.
	 * @param pipeline the pipeline of an upgraded connection
	 * @param connection the connection
	 * @return whether the decoder was found and the keeper installed
	 */
	static boolean install(ChannelPipeline pipeline, StackConnection connection) {
		// The server's and the client's handshakers name it differently.
		ChannelHandlerContext decoder = pipeline.context(WebSocketFrameDecoder.class);
		if (decoder == null) {
			return false;
		}
		pipeline.addBefore(decoder.name(), NAME, new PartialFrameBudget(connection));
		return true;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!(msg instanceof ByteBuf data)) {
			ctx.fireChannelRead(msg);
			return;
		}
		if (this.refused) {
			boolean peerClosed = scan(data);
			data.release();
			if (peerClosed) {
				peerClosed();
				ctx.close();
			}
			return;
		}
		scan(data);
		long held = (this.payloadLeft > 0) ? this.payloadReceived : 0;
		long more = held - this.reserved;
		if (more > 0) {
			Budget refusedBy = this.budget.tryReserve(more);
			if (refusedBy != null) {
				refuse(data, refusedBy, more);
				return;
			}
		}
		else {
			// The decoder hands the completed frame on below: its bytes leave the
			// decoder.
			this.budget.release(-more);
		}
		this.reserved = held;
		ctx.fireChannelRead(data);
	}

	private void refuse(ByteBuf data, Budget refusedBy, long amount) {
		this.refused = true;
		data.release();
		releaseAll();
		this.connection.inboundBudgetExceeded(refusedBy, amount);
	}

	/**
	 * Follow the frame boundaries through the bytes without consuming them.
	 * @return whether a close frame ended in these bytes
	 */
	private boolean scan(ByteBuf data) {
		boolean closeFrameEnded = false;
		int index = data.readerIndex();
		int end = data.writerIndex();
		while (index < end) {
			if (this.payloadLeft > 0) {
				int count = (int) Math.min(this.payloadLeft, end - index);
				keepClosePayload(data, index, count);
				index += count;
				this.payloadLeft -= count;
				this.payloadReceived += count;
				if (this.payloadLeft == 0) {
					closeFrameEnded |= isClose();
					this.payloadReceived = 0;
				}
				continue;
			}
			this.header[this.headerRead++] = data.getByte(index++);
			if (this.headerRead >= 2 && this.headerRead == headerLength()) {
				this.payloadLeft = payloadLength();
				startClosePayload();
				this.payloadReceived = 0;
				this.headerRead = 0;
				if (this.payloadLeft == 0) {
					closeFrameEnded |= isClose();
				}
			}
		}
		return closeFrameEnded;
	}

	private void startClosePayload() {
		this.closePayload = null;
		if (!isClose()) {
			return;
		}
		boolean masked = (this.header[1] & 0x80) != 0;
		for (int i = 0; i < 4; i++) {
			this.mask[i] = masked ? this.header[headerLength() - 4 + i] : 0;
		}
		this.closePayload = new byte[(int) Math.min(this.payloadLeft, 125)];
		this.closePayloadRead = 0;
	}

	private void keepClosePayload(ByteBuf data, int index, int count) {
		byte[] payload = this.closePayload;
		if (payload == null) {
			return;
		}
		for (int i = 0; i < count && this.closePayloadRead < payload.length; i++) {
			payload[this.closePayloadRead] = (byte) (data.getByte(index + i) ^ this.mask[this.closePayloadRead % 4]);
			this.closePayloadRead++;
		}
	}

	/** Report the peer's close frame, which answers the server's 1013. */
	private void peerClosed() {
		byte[] payload = this.closePayload;
		if (payload == null || payload.length < 2) {
			this.connection.closed(WebSocketProtocol.CLOSE_STATUS_CODE_NULL, null);
			return;
		}
		int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
		this.connection.closed(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
	}

	private boolean isClose() {
		return (this.header[0] & 0x0F) == CLOSE;
	}

	private int headerLength() {
		int length7 = this.header[1] & 0x7F;
		int extended = (length7 == 126) ? 2 : (length7 == 127) ? 8 : 0;
		int mask = ((this.header[1] & 0x80) != 0) ? 4 : 0;
		return 2 + extended + mask;
	}

	private long payloadLength() {
		int length7 = this.header[1] & 0x7F;
		if (length7 < 126) {
			return length7;
		}
		int bytes = (length7 == 126) ? 2 : 8;
		long length = 0;
		for (int i = 0; i < bytes; i++) {
			length = (length << 8) | (this.header[2 + i] & 0xFF);
		}
		// A length with the top bit set is invalid: the decoder fails the connection.
		return Math.max(length, 0);
	}

	private void releaseAll() {
		this.budget.release(this.reserved);
		this.reserved = 0;
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		releaseAll();
		ctx.fireChannelInactive();
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		releaseAll();
	}

}
