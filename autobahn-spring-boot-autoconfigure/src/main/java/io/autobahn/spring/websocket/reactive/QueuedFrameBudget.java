package io.autobahn.spring.websocket.reactive;

import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import io.autobahn.spring.websocket.core.Budget;
import io.autobahn.spring.websocket.core.StackConnection;

/**
 * Counts against the endpoint's inbound {@link Budget} the decoded data frames that wait
 * for a blocking hook ({@code blocking-hooks}). Hooks then run off the event loop, so the
 * frames that Netty decodes from one read queue up until the hook takes them, each
 * already inflated when permessage-deflate is on: without a budget, one read of small
 * compressed frames could queue a message's limit many times over. A frame the budget
 * refuses is dropped, and the connection is closed with 1013; control frames always pass,
 * so that the close handshake completes.
 * <p>
 * One per connection: frames are counted on its event loop and released on the thread
 * that runs the hook, or all at once when the channel goes.
 */
final class QueuedFrameBudget extends ChannelInboundHandlerAdapter {

	static final String NAME = "autobahn-queued-frame-budget";

	private final StackConnection connection;

	private final Budget budget;

	private final AtomicLong reserved = new AtomicLong();

	/** Only touched on the event loop. */
	private boolean refused;

	QueuedFrameBudget(StackConnection connection) {
		this.connection = connection;
		this.budget = connection.getInboundBudget();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof WebSocketFrame frame && isData(frame)) {
			if (this.refused) {
				frame.release();
				return;
			}
			int size = frame.content().readableBytes();
			Budget refusedBy = this.budget.tryReserve(size);
			if (refusedBy != null) {
				this.refused = true;
				frame.release();
				this.connection.inboundBudgetExceeded(refusedBy, size);
				return;
			}
			this.reserved.addAndGet(size);
		}
		ctx.fireChannelRead(msg);
	}

	/**
	 * A frame that passed here is handed to the hook: its bytes are the assembler's now.
	 * @param frame the frame (or a duplicate with the same readable bytes)
	 */
	void taken(WebSocketFrame frame) {
		if (!isData(frame)) {
			return;
		}
		long size = frame.content().readableBytes();
		for (;;) {
			long current = this.reserved.get();
			if (current < size) {
				// Released already, when the channel went.
				return;
			}
			if (this.reserved.compareAndSet(current, current - size)) {
				this.budget.release(size);
				return;
			}
		}
	}

	private void releaseAll() {
		this.budget.release(this.reserved.getAndSet(0));
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

	private static boolean isData(WebSocketFrame frame) {
		return frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
				|| frame instanceof ContinuationWebSocketFrame;
	}

}
