package io.autobahn.spring.websocket.reactive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.core.SharedMessage;
import io.autobahn.spring.websocket.core.Transport;

/**
 * A {@link Transport} writing frames straight to a Reactor Netty channel. It
 * {@link #buffersWrites() buffers writes}: a write hands the frame to the channel (on its
 * event loop) and returns, and the frame completes when Netty has written it to the
 * socket (its promise, which carries the frame's size, so a write allocates nothing
 * beyond the frame, the buffer that wraps the payload and the promise Netty needs
 * anyway).
 * <p>
 * Payloads are wrapped, never copied: a {@code byte[]} or a heap buffer becomes an
 * unpooled heap {@link ByteBuf} over the same bytes (Netty's socket channel copies it
 * into a direct buffer as it writes, as for any heap buffer). A prepared message on a
 * server's connection without permessage-deflate is written as the one frame its bytes
 * already are, a raw buffer that the frame encoder passes on untouched: every channel
 * writes a buffer of its own over the message's one copy in direct memory, so the socket
 * channel copies nothing per connection; with permessage-deflate, its payload goes as a
 * frame of its own, which the connection compresses.
 * <p>
 * Writes on the event loop (hooks that do not block) are flushed once per turn of the
 * loop rather than once per frame: the echoes of all frames read in one go leave in one
 * syscall. Calls are serialized by the connection's send path; the flush flag is confined
 * to the event loop.
 */
final class ReactorNettyTransport implements Transport {

	private static final String PERMESSAGE_DEFLATE = "permessage-deflate";

	private final Channel channel;

	private final @Nullable String subprotocol;

	private final List<String> extensions;

	/**
	 * Whether a prepared message's shared frame is written as it is: unmasked and
	 * uncompressed.
	 */
	private final boolean sharedFrames;

	private final Runnable flush = this::flushScheduled;

	/** Writes handed to the event loop from other threads that it has not run yet. */
	private final AtomicInteger queuedWrites = new AtomicInteger();

	/** Whether a flush is scheduled on the event loop; only touched there. */
	private boolean flushScheduled;

	private boolean continuation;

	ReactorNettyTransport(Channel channel, @Nullable String subprotocol, List<String> extensions, boolean server) {
		this.channel = channel;
		this.subprotocol = subprotocol;
		this.extensions = extensions;
		// A client masks its frames: the shared frame, unmasked, is a server's.
		this.sharedFrames = server && !extensions.contains(PERMESSAGE_DEFLATE);
	}

	@Override
	public boolean buffersWrites() {
		return true;
	}

	@Override
	public void sendText(ByteBuffer utf8, boolean last, Completion completion) throws IOException {
		int length = utf8.remaining();
		ByteBuf data = Unpooled.wrappedBuffer(utf8);
		write(this.continuation ? new ContinuationWebSocketFrame(last, 0, data) : new TextWebSocketFrame(last, 0, data),
				length, completion);
		this.continuation = !last;
	}

	@Override
	public void sendText(byte[] utf8, int offset, int length, boolean last, Completion completion) throws IOException {
		ByteBuf data = Unpooled.wrappedBuffer(utf8, offset, length);
		write(this.continuation ? new ContinuationWebSocketFrame(last, 0, data) : new TextWebSocketFrame(last, 0, data),
				length, completion);
		this.continuation = !last;
	}

	@Override
	public void sendBinary(ByteBuffer data, boolean last, Completion completion) throws IOException {
		int length = data.remaining();
		ByteBuf payload = Unpooled.wrappedBuffer(data);
		write(this.continuation ? new ContinuationWebSocketFrame(last, 0, payload)
				: new BinaryWebSocketFrame(last, 0, payload), length, completion);
		this.continuation = !last;
	}

	@Override
	public void sendBinary(byte[] data, int offset, int length, boolean last, Completion completion)
			throws IOException {
		ByteBuf payload = Unpooled.wrappedBuffer(data, offset, length);
		write(this.continuation ? new ContinuationWebSocketFrame(last, 0, payload)
				: new BinaryWebSocketFrame(last, 0, payload), length, completion);
		this.continuation = !last;
	}

	/**
	 * On a server's connection without permessage-deflate, write the message's frame as
	 * it is: the same bytes for every connection. Otherwise as a frame of the
	 * connection's own over the shared payload, which the client's encoder masks or the
	 * connection's deflater compresses (RFC 7692 would allow the shared frame
	 * uncompressed, but a client that asked for compression gets it, as in Autobahn).
	 */
	@Override
	public void sendShared(SharedMessage message, Completion completion) throws IOException {
		if (this.sharedFrames) {
			write(Unpooled.wrappedBuffer(message.directFrame()), message.size(), completion);
		}
		else {
			Transport.super.sendShared(message, completion);
		}
	}

	@Override
	public void sendPing(ByteBuffer payload, Completion completion) throws IOException {
		int length = payload.remaining();
		write(new PingWebSocketFrame(Unpooled.wrappedBuffer(payload)), length, completion);
	}

	@Override
	public void sendPong(ByteBuffer payload, Completion completion) throws IOException {
		int length = payload.remaining();
		write(new PongWebSocketFrame(Unpooled.wrappedBuffer(payload)), length, completion);
	}

	/**
	 * Write the close frame like any other frame, after those already handed over, and
	 * keep the connection open for the peer's answer: Reactor Netty's own
	 * {@code sendClose} would close it right after writing (see {@link CloseFrameGuard}).
	 */
	@Override
	public void close(@Nullable Integer code, @Nullable String reason, Completion completion) throws IOException {
		write((code != null) ? new CloseWebSocketFrame(code, reason) : new CloseWebSocketFrame(), 0, completion);
	}

	@Override
	public void abort() {
		this.channel.close();
	}

	/**
	 * Frames waiting for this turn's flush are not yet the peer's to read: flush them
	 * now, on the event loop, before the peer is judged to read too slowly.
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

	private void write(Object frame, int length, Completion completion) throws IOException {
		if (!this.channel.isActive()) {
			ReferenceCountUtil.release(frame);
			throw new IOException("Connection closed");
		}
		WritePromise promise = new WritePromise(this.channel, length, completion);
		if (this.channel.eventLoop().inEventLoop() && this.queuedWrites.get() == 0) {
			writeOnEventLoop(frame, promise);
		}
		else {
			// Behind the writes already handed to the event loop, so that a later send
			// from
			// the event loop itself cannot overtake them.
			queue(frame, promise);
		}
	}

	private void queue(Object frame, WritePromise promise) throws IOException {
		this.queuedWrites.incrementAndGet();
		try {
			this.channel.eventLoop().execute(() -> {
				this.queuedWrites.decrementAndGet();
				writeOnEventLoop(frame, promise);
			});
		}
		catch (RejectedExecutionException ex) {
			this.queuedWrites.decrementAndGet();
			ReferenceCountUtil.release(frame);
			throw new IOException("Connection closed", ex);
		}
	}

	private void writeOnEventLoop(Object frame, WritePromise promise) {
		// Written, failed or cancelled with the channel: the promise completes the frame.
		this.channel.write(frame, promise);
		if (!this.flushScheduled) {
			this.flushScheduled = true;
			this.channel.eventLoop().execute(this.flush);
		}
	}

	private void flushScheduled() {
		this.flushScheduled = false;
		this.channel.flush();
	}

	/**
	 * The promise of one frame's write, which is also its listener: it tells the frame's
	 * completion, with the frame's size, once Netty is done with it.
	 */
	private static final class WritePromise extends DefaultChannelPromise implements ChannelFutureListener {

		private final int length;

		private final Completion completion;

		WritePromise(Channel channel, int length, Completion completion) {
			super(channel);
			this.length = length;
			this.completion = completion;
			addListener(this);
		}

		@Override
		public void operationComplete(ChannelFuture future) {
			if (future.isSuccess()) {
				this.completion.written(this.length);
			}
			else {
				Throwable cause = future.cause();
				this.completion.failed(this.length,
						(cause != null) ? cause : new IOException("Write cancelled with the connection"));
			}
		}

	}

}
