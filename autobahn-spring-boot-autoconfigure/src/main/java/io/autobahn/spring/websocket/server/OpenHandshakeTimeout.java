package io.autobahn.spring.websocket.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@code open-handshake-timeout} on a dedicated port: closes a connection that has not
 * completed its opening handshake (the {@code 101} written) within the timeout, counted
 * from the moment the connection was accepted, so TLS handshake, request head and
 * {@code onConnect} included, however slowly the client dribbles its bytes. Once the
 * {@code 101} is written, it removes itself from the pipeline. Until then it also drops
 * the request head that a closed connection left unfinished, which Reactor Netty would
 * log as a WARN. One instance per connection, confined to its event loop, placed right
 * after the HTTP codec to see the request and the response.
 */
final class OpenHandshakeTimeout extends ChannelDuplexHandler {

	/** The handler's name in the pipeline. */
	static final String NAME = "autobahnOpenHandshakeTimeout";

	private static final Log logger = LogFactory.getLog(OpenHandshakeTimeout.class);

	private final Duration timeout;

	private @Nullable ScheduledFuture<?> deadline;

	OpenHandshakeTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.deadline = ctx.executor().schedule(() -> expire(ctx), this.timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancel();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		cancel();
		super.channelInactive(ctx);
	}

	/**
	 * A request head cut off by the connection's end (this handler's close, or a client
	 * that gave up) reaches Reactor Netty as a failed decoding, which it logs as a WARN:
	 * there is no one left to answer, so it is dropped here.
	 */
	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpObject http
				&& http.decoderResult().cause() instanceof PrematureChannelClosureException) {
			ReferenceCountUtil.release(msg);
			if (logger.isDebugEnabled()) {
				logger.debug(
						"Connection " + ctx.channel().remoteAddress() + " closed before its request head was complete");
			}
			return;
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		boolean upgraded = msg instanceof HttpResponse response
				&& response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
		ctx.write(msg, promise);
		if (upgraded) {
			ctx.pipeline().remove(this);
		}
	}

	private void expire(ChannelHandlerContext ctx) {
		if (ctx.channel().isOpen()) {
			if (logger.isDebugEnabled()) {
				logger.debug("Closing " + ctx.channel().remoteAddress() + ": no opening handshake within "
						+ this.timeout.toMillis() + " ms (open-handshake-timeout)");
			}
			ctx.close();
		}
	}

	private void cancel() {
		ScheduledFuture<?> deadline = this.deadline;
		if (deadline != null) {
			deadline.cancel(false);
			this.deadline = null;
		}
	}

}
