package io.autobahn.spring.websocket.reactive;

import java.util.List;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

import io.autobahn.spring.websocket.WebSocketProtocol;
import io.autobahn.spring.websocket.core.AcceptedConnection;
import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.ReceiveMode;
import io.autobahn.spring.websocket.core.StackConnection;

/**
 * Drives one connection on Reactor Netty after the {@code 101}, the server's and the
 * client's alike: assembles its messages from their frames without copying them
 * ({@link FrameAssembler}, under the starter's own limit) and hands them to its
 * {@link StackConnection}, or hands it every frame as it is when the protocol streams;
 * hands it pings too, and reports the close status exactly as Reactor Netty saw it (1006
 * when the connection ended without a close frame). What Netty itself holds of incoming
 * messages counts against the inbound budget too: the unfinished frame its decoder
 * collects ({@link PartialFrameBudget}), and with blocking hooks the decoded frames
 * waiting for them ({@link QueuedFrameBudget}).
 */
final class ReactorNettyConnectionHandler {

	private static final String UTF8_VALIDATOR = "autobahn-utf8-validator";

	private static final String FRAME_VALIDATOR = "autobahn-frame-validator";

	private static final String PERMESSAGE_DEFLATE = "permessage-deflate";

	private final StackConnection connection;

	/**
	 * Whether the connection is a server's: its frames are unmasked, a prepared frame
	 * goes as it is.
	 */
	private final boolean server;

	private final @Nullable String subprotocol;

	private final EndpointSettings settings;

	private final QueuedFrameBudget queuedFrameBudget;

	private final boolean streams;

	/**
	 * Created with the channel, whose allocator it uses; none for a protocol that
	 * streams.
	 */
	private @Nullable FrameAssembler assembler;

	private boolean binaryMessage;

	ReactorNettyConnectionHandler(AcceptedConnection accepted, EndpointSettings settings) {
		this(accepted.connection(), accepted.subprotocol(), settings, true);
	}

	ReactorNettyConnectionHandler(StackConnection connection, @Nullable String subprotocol, EndpointSettings settings) {
		this(connection, subprotocol, settings, false);
	}

	private ReactorNettyConnectionHandler(StackConnection connection, @Nullable String subprotocol,
			EndpointSettings settings, boolean server) {
		this.server = server;
		this.connection = connection;
		this.subprotocol = subprotocol;
		this.settings = settings;
		this.queuedFrameBudget = new QueuedFrameBudget(this.connection);
		this.streams = this.connection.receiveMode() == ReceiveMode.STREAM;
	}

	Publisher<Void> handle(WebsocketInbound in, WebsocketOutbound out) {
		Channel[] channel = new Channel[1];
		Connection[] connection = new Connection[1];
		in.withConnection((nettyConnection) -> {
			connection[0] = nettyConnection;
			channel[0] = nettyConnection.channel();
			// Reactor Netty's handshaker leaves text validation to the application: fail
			// invalid UTF-8 with 1007 after decompression, as RFC 6455 requires, and
			// stray reserved bits and undefined close codes with 1002.
			nettyConnection.addHandlerLast(UTF8_VALIDATOR, new AsciiFastPathUtf8FrameValidator());
			nettyConnection.addHandlerLast(FRAME_VALIDATOR, new ReservedBitsAndCloseCodeValidator());
			CloseFrameGuard.install(channel[0]);
			PartialFrameBudget.install(channel[0].pipeline(), this.connection);
			if (this.settings.blockingHooks()) {
				nettyConnection.addHandlerLast(QueuedFrameBudget.NAME, this.queuedFrameBudget);
			}
			if (!this.streams) {
				FrameAssembler assembler = new FrameAssembler(this.connection, channel[0].alloc(),
						this.settings.maxMessagePayloadSize());
				this.assembler = assembler;
				if (!this.settings.blockingHooks()) {
					// Offloaded, it closes after the last frame's hook (see offloaded).
					nettyConnection.onDispose(assembler::close);
				}
			}
		});
		// The peer's close status once its close frame arrived (also as the answer to the
		// server's own), or an abnormal closure when the connection ended without one.
		Mono<WebSocketCloseStatus> closeStatus = in.receiveCloseStatus()
			.defaultIfEmpty(WebSocketCloseStatus.ABNORMAL_CLOSURE);
		ReactorNettyTransport transport = new ReactorNettyTransport(channel[0], this.subprotocol,
				negotiatedExtensions(channel[0]), this.server);
		Flux<Void> events = this.settings.blockingHooks() ? offloaded(in, transport, closeStatus)
				: onEventLoop(in, transport, closeStatus);
		// A reset or a protocol violation ends the inbound with an error, for which
		// Reactor Netty would report 1002 as if a close frame had been exchanged: it is
		// an unclean close.
		// The handler completes only once the connection is gone: Reactor Netty answers a
		// handler that completes on an open connection with a close frame of its own
		// (1000), which would cut short a close handshake the starter started (a message
		// too big found by the inflater ends the inbound with an error, and the starter
		// closes with 1009, then waits for the peer's close frame).
		return events.doOnError(this::inboundFailed).onErrorComplete().then(connection[0].onDispose());
	}

	private void reportClose(Mono<WebSocketCloseStatus> closeStatus) {
		closeStatus.subscribe((status) -> this.connection.closed(status.code(), status.reasonText()));
	}

	private void inboundFailed(Throwable failure) {
		if (BoundedPerMessageDeflate.isInflatedPastLimit(failure)) {
			this.connection.messageTooBig(String.valueOf(failure.getMessage()));
		}
		else if (failure instanceof CorruptedWebSocketFrameException corrupted
				&& corrupted.closeStatus().code() == WebSocketProtocol.CLOSE_STATUS_CODE_MESSAGE_TOO_BIG) {
			// A frame over the frame limit: Netty's decoder wrote the 1009 (with the
			// starter's
			// reason, see CloseFrameGuard) and closed the connection.
			this.connection.closed(WebSocketProtocol.CLOSE_STATUS_CODE_ABNORMAL_CLOSE, StackConnection.MESSAGE_TOO_BIG);
		}
		else {
			this.connection.closed(WebSocketProtocol.CLOSE_STATUS_CODE_ABNORMAL_CLOSE,
					String.valueOf(failure.getMessage()));
		}
	}

	private Flux<Void> onEventLoop(WebsocketInbound in, ReactorNettyTransport transport,
			Mono<WebSocketCloseStatus> closeStatus) {
		// Both on the event loop, which finds the close: it comes after the open.
		reportClose(closeStatus);
		this.connection.open(transport);
		return in.receiveFrames().doOnNext(this::dispatch).thenMany(Flux.empty());
	}

	/**
	 * Run hooks on the bounded-elastic scheduler, one at a time and in order. Frames are
	 * copied off Netty's buffers first, and the next frame is requested only after the
	 * previous hook returned, so a slow hook slows reading instead of queueing frames.
	 * <p>
	 * The inbound is subscribed at once, so that a reset before the open is the
	 * connection's error rather than one Reactor Netty logs as uncaught; but frames, an
	 * inbound error and the close are all handled in order, after the open: the event
	 * loop finds a close frame while the frames before it (or the open) still wait for a
	 * thread, and reporting it then would drop those messages, or, before the open, skip
	 * both {@code onOpen} and {@code onClose} of a connection whose handshake completed.
	 * For the same reason the assembler closes after the last frame, not when the
	 * connection is disposed.
	 */
	private Flux<Void> offloaded(WebsocketInbound in, ReactorNettyTransport transport,
			Mono<WebSocketCloseStatus> closeStatus) {
		Scheduler scheduler = Schedulers.boundedElastic();
		Mono<Void> open = Mono.<Void>fromRunnable(() -> this.connection.open(transport, scheduler::schedule))
			.subscribeOn(scheduler)
			.cache();
		Flux<Void> frames = in.receiveFrames()
			.map(WebSocketFrame::retainedDuplicate)
			.concatMap((frame) -> open
				.then(Mono.<Void>fromRunnable(() -> dispatchAndRelease(frame)).subscribeOn(scheduler)), 1)
			.doOnDiscard(WebSocketFrame.class, WebSocketFrame::release)
			.onErrorResume((failure) -> open.then(Mono.error(failure)))
			.concatWith(open.then(Mono.fromRunnable(() -> reportClose(closeStatus))));
		return Flux.merge(open, frames).doOnCancel(() -> reportClose(closeStatus)).doFinally((signal) -> {
			FrameAssembler assembler = this.assembler;
			if (assembler != null) {
				assembler.close();
			}
		});
	}

	private void dispatchAndRelease(WebSocketFrame frame) {
		this.queuedFrameBudget.taken(frame);
		try {
			dispatch(frame);
		}
		finally {
			frame.release();
		}
	}

	private void dispatch(WebSocketFrame frame) {
		if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
			this.binaryMessage = frame instanceof BinaryWebSocketFrame;
			data(frame);
		}
		else if (frame instanceof ContinuationWebSocketFrame) {
			data(frame);
		}
		else if (frame instanceof PingWebSocketFrame) {
			this.connection.pingReceived(frame.content().nioBuffer());
		}
		else if (frame instanceof PongWebSocketFrame) {
			this.connection.pongReceived(frame.content().nioBuffer());
		}
	}

	private void data(WebSocketFrame frame) {
		FrameAssembler assembler = this.assembler;
		if (assembler != null) {
			assembler.frame(frame.content(), this.binaryMessage, frame.isFinalFragment());
		}
		else {
			this.connection.frameReceived(frame.content().nioBuffer(), this.binaryMessage, frame.isFinalFragment());
		}
	}

	static List<String> negotiatedExtensions(@Nullable Channel channel) {
		if (channel == null) {
			return List.of();
		}
		boolean deflate = channel.pipeline()
			.names()
			.stream()
			.map(channel.pipeline()::get)
			.anyMatch((handler) -> handler != null && handler.getClass().getName().contains("PerMessageDeflate"));
		return deflate ? List.of(PERMESSAGE_DEFLATE) : List.of();
	}

}
