package io.autobahn.spring.websocket.reactive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.core.Budget;
import io.autobahn.spring.websocket.core.OutboundBudgetExceededException;
import io.autobahn.spring.websocket.core.Transport;

/**
 * A {@link Transport} writing frames straight to a Reactor Netty channel. Writes never
 * block: they are handed to the channel's event loop. It says how many bytes it has handed
 * over and Netty has not yet written to the socket ({@link #unwrittenBytes()}), so that the
 * connection's send queue, which owns the send bounds, drops a peer that stops reading
 * rather than making the server buffer without bound. The same bytes count against the
 * endpoint's outbound {@link Budget}, shared by all connections, from the moment they are
 * handed over until Netty has written them (or failed to): only this transport sees when
 * Netty is done with them.
 * <p>
 * Writes on the event loop (hooks that do not block) are flushed once per turn of the loop
 * rather than once per frame: the echoes of all frames read in one go leave in one syscall.
 */
final class ReactorNettyTransport implements Transport {

	private final Channel channel;

	private final @Nullable String subprotocol;

	private final List<String> extensions;

	private final Budget budget;

	private final Runnable flush = this::flushScheduled;

	/** Writes handed to the event loop from other threads that it has not run yet. */
	private final AtomicInteger queuedWrites = new AtomicInteger();

	/** Payload bytes of those writes, not yet in the channel's outbound buffer. */
	private final AtomicLong queuedBytes = new AtomicLong();

	/** Whether a flush is scheduled on the event loop; only touched there. */
	private boolean flushScheduled;

	private boolean continuation;

	ReactorNettyTransport(Channel channel, @Nullable String subprotocol, List<String> extensions, Budget budget) {
		this.channel = channel;
		this.budget = budget;
		this.subprotocol = subprotocol;
		this.extensions = extensions;
	}

	@Override
	public void sendText(String text, boolean last) throws IOException {
		byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
		sendText(utf8, 0, utf8.length, last);
	}

	@Override
	public void sendText(byte[] utf8, int offset, int length, boolean last) throws IOException {
		ByteBuf data = Unpooled.wrappedBuffer(utf8, offset, length);
		write(this.continuation ? new ContinuationWebSocketFrame(last, 0, data) : new TextWebSocketFrame(last, 0, data),
				length);
		this.continuation = !last;
	}

	@Override
	public void sendBinary(ByteBuffer data, boolean last) throws IOException {
		ByteBuf payload = Unpooled.wrappedBuffer(data);
		int length = payload.readableBytes();
		write(this.continuation ? new ContinuationWebSocketFrame(last, 0, payload)
				: new BinaryWebSocketFrame(last, 0, payload), length);
		this.continuation = !last;
	}

	@Override
	public void sendPing(ByteBuffer payload) throws IOException {
		write(new PingWebSocketFrame(Unpooled.wrappedBuffer(payload)), payload.remaining());
	}

	@Override
	public void sendPong(ByteBuffer payload) throws IOException {
		write(new PongWebSocketFrame(Unpooled.wrappedBuffer(payload)), payload.remaining());
	}

	/**
	 * Write the close frame like any other frame, after those already handed over, and
	 * keep the connection open for the peer's answer: Reactor Netty's own
	 * {@code sendClose} would close it right after writing (see {@link CloseFrameGuard}).
	 */
	@Override
	public void close(@Nullable Integer code, @Nullable String reason) throws IOException {
		if (!this.channel.isActive()) {
			throw new IOException("Connection closed");
		}
		CloseWebSocketFrame frame = (code != null) ? new CloseWebSocketFrame(code, reason) : new CloseWebSocketFrame();
		if (this.channel.eventLoop().inEventLoop() && this.queuedWrites.get() == 0) {
			writeOnEventLoop(frame, 0);
		}
		else {
			queue(frame, 0);
		}
	}

	@Override
	public void abort() {
		this.channel.close();
	}

	/**
	 * The bytes in the channel's outbound buffer (frame headers included, which only ever
	 * make the count larger) and in writes handed to the event loop that it has not run yet.
	 */
	@Override
	public long unwrittenBytes() {
		ChannelOutboundBuffer buffer = this.channel.unsafe().outboundBuffer();
		return ((buffer != null) ? buffer.totalPendingWriteBytes() : 0) + this.queuedBytes.get();
	}

	/**
	 * Frames waiting for this turn's flush are not yet the peer's to read: flush them now,
	 * on the event loop, before the peer is judged to read too slowly.
	 */
	@Override
	public void flush() {
		if (this.channel.eventLoop().inEventLoop() && this.flushScheduled) {
			this.channel.flush();
		}
	}

	@Override
	public @Nullable String getSubprotocol() {
		return this.subprotocol;
	}

	@Override
	public List<String> getExtensions() {
		return this.extensions;
	}

	/**
	 * Calls are serialized by the connection's outbound queue, so the fields need no
	 * synchronization of their own; the flush flag is confined to the event loop.
	 */
	private void write(WebSocketFrame frame, int length) throws IOException {
		if (!this.channel.isActive() || this.channel.unsafe().outboundBuffer() == null) {
			frame.release();
			throw new IOException("Connection closed");
		}
		Budget refusedBy = this.budget.tryReserve(length);
		if (refusedBy != null) {
			frame.release();
			throw new OutboundBudgetExceededException(refusedBy, length);
		}
		if (this.channel.eventLoop().inEventLoop() && this.queuedWrites.get() == 0) {
			writeOnEventLoop(frame, length);
		}
		else {
			// Behind the writes already handed to the event loop, so that a later send from
			// the event loop itself cannot overtake them.
			queue(frame, length);
		}
	}

	private void queue(WebSocketFrame frame, int length) throws IOException {
		this.queuedWrites.incrementAndGet();
		this.queuedBytes.addAndGet(length);
		try {
			this.channel.eventLoop().execute(() -> {
				this.queuedBytes.addAndGet(-length);
				this.queuedWrites.decrementAndGet();
				writeOnEventLoop(frame, length);
			});
		}
		catch (RejectedExecutionException ex) {
			this.queuedBytes.addAndGet(-length);
			this.queuedWrites.decrementAndGet();
			this.budget.release(length);
			frame.release();
			throw new IOException("Connection closed", ex);
		}
	}

	private void writeOnEventLoop(WebSocketFrame frame, int length) {
		if (length > 0) {
			// Written, failed or cancelled with the channel: the bytes are no longer held.
			this.channel.write(frame).addListener((ChannelFutureListener) (future) -> this.budget.release(length));
		}
		else {
			this.channel.write(frame);
		}
		if (!this.flushScheduled) {
			this.flushScheduled = true;
			this.channel.eventLoop().execute(this.flush);
		}
	}

	private void flushScheduled() {
		this.flushScheduled = false;
		this.channel.flush();
	}

}
