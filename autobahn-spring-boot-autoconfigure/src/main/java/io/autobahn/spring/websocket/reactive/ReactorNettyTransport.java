package io.autobahn.spring.websocket.reactive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.websocket.WebsocketOutbound;

import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.SendOverflowException;
import io.autobahn.spring.websocket.core.Transport;

/**
 * A {@link Transport} writing frames straight to a Reactor Netty channel. Writes never
 * block: they are handed to the channel's event loop. Bytes handed over but not yet written
 * to the socket are counted, so a peer that stops reading passes
 * {@code send-buffer-size-limit} (or makes no progress for {@code send-time-limit}) and is
 * dropped rather than making the server buffer without bound.
 */
final class ReactorNettyTransport implements Transport {

	private final Channel channel;

	private final WebsocketOutbound outbound;

	private final @Nullable String subprotocol;

	private final List<String> extensions;

	private final long sizeLimit;

	private final long timeLimitNanos;

	private final AtomicLong pendingBytes = new AtomicLong();

	private volatile long lastProgressNanos = System.nanoTime();

	private boolean continuation;

	ReactorNettyTransport(Channel channel, WebsocketOutbound outbound, @Nullable String subprotocol,
			List<String> extensions, EndpointSettings settings) {
		this.channel = channel;
		this.outbound = outbound;
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

	@Override
	public void close(@Nullable Integer code, @Nullable String reason) {
		(code != null ? this.outbound.sendClose(code, reason) : this.outbound.sendClose()).subscribe(null, (ex) -> abort());
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

	private void write(WebSocketFrame frame, int length) throws IOException {
		if (!this.channel.isActive()) {
			frame.release();
			throw new IOException("Connection closed");
		}
		long pending = this.pendingBytes.addAndGet(length);
		if (pending > length) {
			if (pending > this.sizeLimit) {
				frame.release();
				throw new SendOverflowException("send buffer limit of " + this.sizeLimit + " bytes exceeded ("
						+ pending + " bytes not yet written)");
			}
			long stalled = System.nanoTime() - this.lastProgressNanos;
			if (stalled > this.timeLimitNanos) {
				frame.release();
				throw new SendOverflowException("send time limit of " + (this.timeLimitNanos / 1_000_000)
						+ " ms exceeded (no write completed for " + (stalled / 1_000_000) + " ms)");
			}
		}
		else {
			this.lastProgressNanos = System.nanoTime();
		}
		this.channel.writeAndFlush(frame).addListener((ChannelFutureListener) (future) -> {
			this.pendingBytes.addAndGet(-length);
			this.lastProgressNanos = System.nanoTime();
		});
	}

}
