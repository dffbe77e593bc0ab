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
import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.OutboundBudgetExceededException;
import io.autobahn.spring.websocket.core.SendOverflowException;
import io.autobahn.spring.websocket.core.Transport;

/**
 * A {@link Transport} writing frames straight to a Reactor Netty channel. Writes never
 * block: they are handed to the channel's event loop. Bytes handed over but not yet written
 * to the socket are counted, so a peer that stops reading passes
 * {@code send-buffer-size-limit} (or makes no progress for {@code send-time-limit}) and is
 * dropped rather than making the server buffer without bound. The same bytes count against
 * the endpoint's outbound {@link Budget}, shared by all connections, from the moment they
 * are handed over until Netty has written them (or failed to).
 * <p>
 * Writes on the event loop (hooks that do not block) are flushed once per turn of the loop
 * rather than once per frame: the echoes of all frames read in one go leave in one syscall.
 */
final class ReactorNettyTransport implements Transport {

	private final Channel channel;

	private final @Nullable String subprotocol;

	private final List<String> extensions;

	private final long sizeLimit;

	private final long timeLimitNanos;

	private final Budget budget;

	private final Runnable flush = this::flush;

	/** Payload bytes handed to the channel so far. */
	private long handedOver;

	/** Bytes written to the socket as of the previous write ({@link #handedOver} less the pending bytes). */
	private long written;

	private long lastProgressNanos = System.nanoTime();

	/** Writes handed to the event loop from other threads that it has not run yet. */
	private final AtomicInteger queuedWrites = new AtomicInteger();

	/** Payload bytes of those writes, not yet in the channel's outbound buffer. */
	private final AtomicLong queuedBytes = new AtomicLong();

	/** Whether a flush is scheduled on the event loop; only touched there. */
	private boolean flushScheduled;

	private boolean continuation;

	ReactorNettyTransport(Channel channel, @Nullable String subprotocol, List<String> extensions,
			EndpointSettings settings, Budget budget) {
		this.channel = channel;
		this.budget = budget;
		this.subprotocol = subprotocol;
		this.extensions = extensions;
		this.sizeLimit = settings.sendBufferSizeLimit();
		this.timeLimitNanos = settings.sendTimeLimit().toNanos();
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
		ChannelOutboundBuffer buffer = this.channel.unsafe().outboundBuffer();
		if (!this.channel.isActive() || buffer == null) {
			frame.release();
			throw new IOException("Connection closed");
		}
		boolean onEventLoop = this.channel.eventLoop().inEventLoop();
		long pending = buffer.totalPendingWriteBytes() + this.queuedBytes.get();
		if (onEventLoop && this.flushScheduled && pending + length > this.sizeLimit) {
			// Frames waiting for this turn's flush are not yet the peer's to read: flush
			// them before deciding that the peer reads too slowly.
			this.channel.flush();
			pending = buffer.totalPendingWriteBytes() + this.queuedBytes.get();
		}
		checkBounds(pending, length, frame);
		Budget refusedBy = this.budget.tryReserve(length);
		if (refusedBy != null) {
			frame.release();
			throw new OutboundBudgetExceededException(refusedBy, length);
		}
		this.handedOver += length;
		if (onEventLoop && this.queuedWrites.get() == 0) {
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

	/**
	 * Netty counts the bytes handed to the channel but not yet written (frame headers
	 * included, which only ever make the count larger), so progress shows as the written
	 * share growing between two writes.
	 */
	private void checkBounds(long pending, int length, WebSocketFrame frame) throws SendOverflowException {
		long now = System.nanoTime();
		long writtenNow = this.handedOver - pending;
		if (pending == 0 || writtenNow > this.written) {
			this.lastProgressNanos = now;
		}
		this.written = writtenNow;
		if (pending == 0) {
			return;
		}
		if (pending + length > this.sizeLimit) {
			frame.release();
			throw new SendOverflowException("send buffer limit of " + this.sizeLimit + " bytes exceeded ("
					+ (pending + length) + " bytes not yet written)");
		}
		long stalled = now - this.lastProgressNanos;
		if (stalled > this.timeLimitNanos) {
			frame.release();
			throw new SendOverflowException("send time limit of " + (this.timeLimitNanos / 1_000_000)
					+ " ms exceeded (no write completed for " + (stalled / 1_000_000) + " ms)");
		}
	}

	private void flush() {
		this.flushScheduled = false;
		this.channel.flush();
	}

}
