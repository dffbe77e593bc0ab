package io.autobahn.spring.websocket.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.Disconnected;
import io.autobahn.spring.websocket.WebSocketProtocol;

/**
 * One connection, between a stack's {@link Transport} and the user's protocol instance,
 * the same on both sides: a connection accepted by a server endpoint
 * ({@link ServerEndpoint}) or opened by a client ({@link ClientEndpoint}); what differs
 * is its {@link ConnectionSide} and what its front listens to
 * ({@link ConnectionListener}). It is the close state machine and the delivery of what
 * arrives. Messages are assembled under the size limit and the inbound budget (1009, 1013
 * past them), by its {@link MessageAssembler} or by the stack, and handed to the hooks
 * through its {@link HookInvoker} in the form the protocol takes them
 * ({@link ReceiveMode}: all go through {@code deliver}), or streamed frame by frame by
 * its {@link MessageStream}; its {@link ConnectionChannel} is what the protocol and the
 * application see, and owns the send path; auto-ping is its {@link KeepAlive}. It holds
 * its slot of the connection budget until it closes or is given up, and disposes of its
 * protocol instance once.
 * <p>
 * States: connecting (from the handshake), open, closing (this side's close frame sent),
 * closed. {@code onClose} is reported exactly once, for a connection that reached
 * {@code onOpen}. {@code wasClean} means what it means in Autobahn: the peer's close
 * frame arrived. A close this side starts is clean once the peer answers it (with the
 * peer's code and reason where the stack hands them over), and unclean (1006) when the
 * close handshake timeout passes first. Thread-safe; what a stack adapter may call is
 * {@link StackConnection}.
 * <p>
 * Longer than this project's classes should be (about 500 lines, half of them javadoc):
 * the close state machine and the events that move it (each event of the stack, each
 * timeout, each refusal) share one state, and spread over classes their transitions would
 * no longer be read in one place.
 */
final class ProtocolConnection implements StackConnection, HookInvoker.Callbacks {

	private static final Log logger = LogFactory.getLog(ProtocolConnection.class);

	private static final int CONNECTING = 0;

	private static final int OPEN = 1;

	private static final int CLOSING = 2;

	private static final int CLOSED = 3;

	private static final long PEER_CLOSE_FIRST_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private static final long PEER_CLOSE_MAX_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	// Fields through VarHandles, not atomics of their own: there is one of these per
	// connection.
	private static final VarHandle STATE;

	private static final VarHandle CLOSE_REPORTED;

	private static final VarHandle DISPOSED;

	private static final VarHandle CONNECTION_SLOT;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			STATE = lookup.findVarHandle(ProtocolConnection.class, "state", int.class);
			CLOSE_REPORTED = lookup.findVarHandle(ProtocolConnection.class, "closeReported", boolean.class);
			DISPOSED = lookup.findVarHandle(ProtocolConnection.class, "disposed", boolean.class);
			CONNECTION_SLOT = lookup.findVarHandle(ProtocolConnection.class, "connectionSlot", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final ConnectionSide side;

	private final WebSocketProtocol protocol;

	private final ConnectionRequest request;

	private final ReceiveMode receiveMode;

	private final String peer;

	private final ConnectionListener listener;

	private final MessageAssembler assembler;

	private final HookInvoker hooks;

	/** Only for a protocol that streams its messages. */
	private final @Nullable MessageStream stream;

	private final ConnectionChannel channel;

	private final EndpointObserver observer;

	private volatile int state = CONNECTING;

	private volatile boolean closeReported;

	private volatile boolean opened;

	/** Whether {@code onOpen} returned (without an exception). */
	private volatile boolean openReturned;

	private volatile boolean disposed;

	/** Whether the application closed or dropped the connection, or is shutting down. */
	private volatile boolean closedByApplication;

	/** Whether this connection still holds its unit of the connection budget. */
	private volatile boolean connectionSlot;

	private volatile @Nullable Transport transport;

	private volatile @Nullable KeepAlive keepAlive;

	private volatile @Nullable ScheduledFuture<?> closeTimeout;

	private volatile @Nullable ScheduledFuture<?> peerCloseWatch;

	/**
	 * Guards the watch on the open and its replacement once the container took the
	 * upgrade.
	 */
	private final Object openWatchLock = new Object();

	private @Nullable ScheduledFuture<?> openWatch;

	private @Nullable Supplier<@Nullable ScheduledFuture<?>> openWatchOnceTaken;

	private boolean openStarted;

	/**
	 * Create a connection.
	 * @param side the endpoint or client it belongs to
	 * @param protocol the protocol instance it serves
	 * @param request the opening handshake: the client's, also on the client side
	 * @param peer the other side, in Autobahn's format
	 * @param listener what the front that made it learns of its life
	 */
	ProtocolConnection(ConnectionSide side, WebSocketProtocol protocol, ConnectionRequest request, String peer,
			ConnectionListener listener) {
		this.side = side;
		this.protocol = protocol;
		this.request = request;
		this.peer = peer;
		this.listener = listener;
		this.assembler = new MessageAssembler(side.settings().maxMessagePayloadSize(), side.budgets().getInbound());
		this.observer = side.observer();
		this.hooks = new HookInvoker(protocol, this, this.observer);
		// The user's class, not a CGLIB proxy's, which overrides every hook.
		this.receiveMode = ReceiveMode.of(ClassUtils.getUserClass(protocol).asSubclass(WebSocketProtocol.class));
		this.stream = (this.receiveMode == ReceiveMode.STREAM)
				? new MessageStream(side.settings().maxStreamedMessageSize(), this.hooks, this::counted) : null;
		this.channel = new ConnectionChannel(this, side);
	}

	// The handshake

	/**
	 * The handshake reserved a unit of the connection budget for this connection, before
	 * {@code onConnect}: give it back once, when the connection closes or its protocol
	 * instance is disposed of, whichever comes first.
	 */
	void holdConnectionSlot() {
		this.connectionSlot = true;
	}

	/**
	 * Hold the tasks that give this connection up if it does not open in time.
	 * @param watch the task scheduled now, or {@code null} for none before the upgrade
	 * @param onceTaken schedules the task that replaces it once the container took the
	 * upgrade (see {@link #upgradeTaken()}), which returns {@code null} if the
	 * application is stopping
	 */
	void watchOpen(@Nullable ScheduledFuture<?> watch, Supplier<@Nullable ScheduledFuture<?>> onceTaken) {
		synchronized (this.openWatchLock) {
			this.openWatch = watch;
			this.openWatchOnceTaken = onceTaken;
			if (watch != null && (this.openStarted || this.state != CONNECTING)) {
				watch.cancel(false);
			}
		}
	}

	@Override
	public void upgradeTaken() {
		synchronized (this.openWatchLock) {
			ScheduledFuture<?> watch = this.openWatch;
			Supplier<@Nullable ScheduledFuture<?>> onceTaken = this.openWatchOnceTaken;
			this.openWatchOnceTaken = null;
			// Not watched, already opening, or given up already (a late open is dropped).
			if (onceTaken == null || this.openStarted || this.state != CONNECTING
					|| (watch != null && !watch.cancel(false))) {
				return;
			}
			this.openWatch = onceTaken.get();
		}
	}

	@Override
	public void abandon() {
		if (STATE.compareAndSet(this, CONNECTING, CLOSED)) {
			disposeProtocol();
		}
	}

	/**
	 * Dispose of the protocol instance, once, whichever of the close and the abandoned
	 * handshake gets here first, and give back what the connection holds of the budgets.
	 */
	void disposeProtocol() {
		if (DISPOSED.compareAndSet(this, false, true)) {
			// Frames that reached a connection abandoned before it opened may hold
			// inbound bytes.
			this.assembler.close();
			closeStream();
			releaseConnectionSlot();
			this.side.disposer().accept(this.protocol);
		}
	}

	private void releaseConnectionSlot() {
		if (this.connectionSlot && CONNECTION_SLOT.compareAndSet(this, true, false)) {
			this.side.budgets().getConnections().release(1);
		}
	}

	// Events from the stack adapter

	@Override
	public void open(Transport transport, @Nullable Executor hookExecutor) {
		this.transport = transport;
		this.hooks.setExecutor(hookExecutor);
		this.channel.open(transport);
		synchronized (this.openWatchLock) {
			this.openStarted = true;
			cancel(this.openWatch);
		}
		// Under the hook lock: a close found meanwhile runs after onOpen.
		this.hooks.open(this.side.server() ? "onOpen" : "onConnect or onOpen", () -> {
			if (!STATE.compareAndSet(this, CONNECTING, OPEN)) {
				// Abandoned while the stack completed the upgrade, or dropped before
				// it opened (an inbound budget refused its first frames): drop the
				// transport too.
				transport.abort();
				return;
			}
			this.opened = true;
			this.channel.opened();
			this.side.registry().add(this.channel);
			this.observer.connectionOpened();
			this.keepAlive = KeepAlive.start(this.side.settings(), this.side.timer(), new KeepAliveListener());
			this.listener.opening();
			this.protocol.onOpen();
			this.openReturned = true;
		});
		if (this.openReturned) {
			// Outside the hook lock: what waits for the connection to open runs on its
			// own.
			this.listener.opened();
		}
	}

	@Override
	public ReceiveMode receiveMode() {
		return this.receiveMode;
	}

	@Override
	public void textReceived(String text, boolean last) {
		dataReceived();
		try {
			MessageStream stream = this.stream;
			if (stream != null) {
				stream.text(text, last);
				return;
			}
			byte[] message = this.assembler.text(text, last);
			if (message != null) {
				deliver(message, null, false);
			}
		}
		catch (MessageAssembler.MessageTooBigException | MessageAssembler.BudgetExceededException ex) {
			refused(ex);
		}
	}

	@Override
	public void frameReceived(ByteBuffer data, boolean isBinary, boolean last) {
		dataReceived();
		try {
			MessageStream stream = this.stream;
			if (stream != null) {
				stream.frame(data, isBinary, last);
				return;
			}
			if (this.receiveMode == ReceiveMode.BUFFER && this.assembler.isWhole(data, last)) {
				deliver(null, data, isBinary);
				return;
			}
			byte[] message = this.assembler.binary(data, last);
			if (message != null) {
				deliver(message, null, isBinary);
			}
		}
		catch (MessageAssembler.MessageTooBigException | MessageAssembler.BudgetExceededException ex) {
			refused(ex);
		}
	}

	@Override
	public void messageReceived(ByteBuffer message, boolean isBinary) {
		dataReceived();
		deliver(null, message, isBinary);
	}

	@Override
	public void messageReceived(byte[] message, boolean isBinary) {
		dataReceived();
		deliver(message, null, isBinary);
	}

	@Override
	public void dataReceived() {
		KeepAlive keepAlive = this.keepAlive;
		if (keepAlive != null) {
			keepAlive.dataReceived();
		}
	}

	/**
	 * Hand a complete message to {@code onMessage} in the form the protocol takes it: the
	 * one place every incoming message passes. An array is the connection's to give away;
	 * a buffer is valid for the call only, and copied for a protocol that takes arrays.
	 * @param array the message in an array of its own, or {@code null}
	 * @param buffer the message in a buffer valid for the call, or {@code null}: exactly
	 * one of the two is given
	 * @param isBinary whether it is binary
	 */
	private void deliver(byte @Nullable [] array, @Nullable ByteBuffer buffer, boolean isBinary) {
		counted(isBinary, (array != null) ? array.length : (buffer != null) ? buffer.remaining() : 0);
		boolean takesBuffers = this.receiveMode == ReceiveMode.BUFFER;
		if (array != null) {
			if (takesBuffers) {
				this.hooks.message(null, ByteBuffer.wrap(array).asReadOnlyBuffer(), isBinary);
			}
			else {
				this.hooks.message(array, null, isBinary);
			}
		}
		else if (buffer != null) {
			if (takesBuffers) {
				this.hooks.message(null, buffer.isReadOnly() ? buffer : buffer.asReadOnlyBuffer(), isBinary);
			}
			else {
				this.hooks.message(toArray(buffer), null, isBinary);
			}
		}
	}

	/**
	 * Count a whole message that arrived, just before it is handed over: in the
	 * connection's traffic and to the endpoint's observer. A streamed message is counted
	 * when its last frame arrives.
	 * @param isBinary whether it is binary
	 * @param size its payload size in bytes
	 */
	private void counted(boolean isBinary, long size) {
		int counted = (int) Math.min(size, Integer.MAX_VALUE);
		this.channel.received(counted);
		this.observer.messageReceived(isBinary, counted);
	}

	@Override
	public void pingReceived(ByteBuffer payload) {
		byte[] bytes = toArray(payload);
		this.hooks.invoke("onPing", () -> this.protocol.onPing(bytes));
	}

	@Override
	public void pongReceived(ByteBuffer payload) {
		byte[] bytes = toArray(payload);
		KeepAlive keepAlive = this.keepAlive;
		KeepAlive.AutoPong pong = (keepAlive != null) ? keepAlive.pongReceived(bytes) : null;
		if (pong != null) {
			this.observer.autoPong(pong.rttNanos());
		}
		this.hooks.invoke("onPong", () -> {
			if (pong != null) {
				this.protocol.onAutoPong(pong.pingSentEpochNanos(), pong.sequence(), pong.pongReceivedEpochNanos(),
						Duration.ofNanos(pong.rttNanos()), pong.payload());
			}
			this.protocol.onPong(bytes);
		});
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * On a stack that reports a server-initiated close as soon as the server's close
	 * frame is sent ({@link Transport#reportsCloseWhenSent()}), the close is reported
	 * once the peer's close frame has arrived, or as unclean when the close handshake
	 * timeout passes first.
	 */
	@Override
	public void closed(int code, @Nullable String reason) {
		if (code == WebSocketProtocol.CLOSE_STATUS_CODE_ABNORMAL_CLOSE) {
			reportClose(false, code, uncleanly((reason != null && !reason.isEmpty()) ? reason
					: "peer dropped the TCP connection without previous WebSocket closing handshake"));
			return;
		}
		Integer closeCode = (code != WebSocketProtocol.CLOSE_STATUS_CODE_NULL) ? code : null;
		String closeReason = (closeCode != null && reason != null && !reason.isEmpty()) ? reason : null;
		Transport transport = this.transport;
		if (this.state == CLOSING && transport != null && transport.reportsCloseWhenSent()
				&& this.closeTimeout != null) {
			awaitPeerClose(transport, new HookInvoker.CloseEvent(true, closeCode, closeReason),
					PEER_CLOSE_FIRST_CHECK_NANOS);
			return;
		}
		reportClose(true, closeCode, closeReason);
	}

	@Override
	public void messageTooBig(String detail) {
		if (logger.isDebugEnabled()) {
			logger
				.debug("Closing connection of " + this.side.describe() + " to " + getPeer() + " with 1009: " + detail);
		}
		failWith(WebSocketProtocol.CLOSE_STATUS_CODE_MESSAGE_TOO_BIG, MESSAGE_TOO_BIG, "message too big");
	}

	@Override
	public void inboundBudgetExceeded(Budget refusedBy, long amount) {
		this.side.budgets().inboundRefused(refusedBy, amount, getPeer());
		this.observer.messageRefused(true);
		failWith(WebSocketProtocol.CLOSE_STATUS_CODE_TRY_AGAIN_LATER, "Try again later",
				"another " + amount + " bytes would pass " + refusedBy.getName());
	}

	@Override
	public Budget getInboundBudget() {
		return this.side.budgets().getInbound();
	}

	private void refused(RuntimeException ex) {
		if (ex instanceof MessageAssembler.BudgetExceededException exceeded) {
			inboundBudgetExceeded(exceeded.refusedBy(), exceeded.amount());
		}
		else {
			messageTooBig(String.valueOf(ex.getMessage()));
		}
	}

	/**
	 * The send buffer drained to its low-water mark: run {@code onWritable}, unless the
	 * connection is closing.
	 */
	void writable() {
		if (isOpen()) {
			this.hooks.writable();
		}
	}

	// The close state machine

	boolean isOpen() {
		return this.state == OPEN;
	}

	/**
	 * Start the closing handshake, as the application asks.
	 * @throws IllegalStateException while the connection is connecting
	 */
	void startClose(@Nullable Integer code, @Nullable String reason) {
		if (!STATE.compareAndSet(this, OPEN, CLOSING)) {
			if (this.state == CONNECTING) {
				throw new IllegalStateException("Cannot close a connection that is not open yet");
			}
			return;
		}
		long timeout = this.side.settings().closeHandshakeTimeout().toNanos();
		if (timeout > 0) {
			this.closeTimeout = this.side.timer()
				.schedule(() -> abort(
						"WebSocket closing handshake timeout (peer did not finish the closing handshake " + "in time)"),
						timeout, TimeUnit.NANOSECONDS);
		}
		if (!this.channel.sendCloseFrame(code, reason)) {
			abort("close frame could not be sent");
		}
	}

	/**
	 * Start the closing handshake, as the application asks through the channel: a close
	 * the application made ({@link ConnectionListener#closed}).
	 * @throws IllegalStateException while the connection is connecting
	 */
	void closeByApplication(@Nullable Integer code, @Nullable String reason) {
		if (this.state == OPEN) {
			this.closedByApplication = true;
		}
		startClose(code, reason);
	}

	/**
	 * Close because of this side's own finding: with a close frame once open, by dropping
	 * the connection before (no close frame can be sent yet).
	 */
	private void failWith(int code, String reason, String why) {
		if (this.state == CONNECTING) {
			abort(why);
			return;
		}
		startClose(code, reason);
	}

	/**
	 * Close with 1001 because the application is shutting down.
	 */
	void goingAway() {
		this.closedByApplication = true;
		String why = this.side.server() ? "server shutting down" : "client shutting down";
		failWith(WebSocketProtocol.CLOSE_STATUS_CODE_GOING_AWAY, why, why);
	}

	/**
	 * Drop the connection as the application asks.
	 * @throws IllegalStateException during {@code onConnect}
	 */
	void drop() {
		if (this.state == CONNECTING) {
			throw new IllegalStateException(
					"Cannot drop a connection that is not open yet: throw ConnectionDeny from onConnect to refuse it");
		}
		this.closedByApplication = true;
		abort("dropped by the application");
	}

	/**
	 * Drop the connection without a close handshake; {@code onClose(false, 1006, ...)}
	 * follows.
	 * @param why why, for the close reason
	 */
	void abort(String why) {
		// Report first: the container reports the drop too, with a less telling reason.
		reportClose(false, WebSocketProtocol.CLOSE_STATUS_CODE_ABNORMAL_CLOSE, uncleanly(why));
		Transport transport = this.transport;
		if (transport != null) {
			transport.abort();
		}
	}

	private void reportClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
		if (this.closeReported || !CLOSE_REPORTED.compareAndSet(this, false, true)) {
			return;
		}
		this.state = CLOSED;
		KeepAlive keepAlive = this.keepAlive;
		if (keepAlive != null) {
			keepAlive.stop();
		}
		cancel(this.closeTimeout);
		cancel(this.peerCloseWatch);
		this.channel.discard();
		this.assembler.close();
		closeStream();
		releaseConnectionSlot();
		this.hooks.close(new HookInvoker.CloseEvent(wasClean, code, reason));
	}

	/**
	 * On a stack that reports a server-initiated close when its close frame is sent, look
	 * whether the peer's close frame has arrived, first soon, then less often; the close
	 * handshake timeout ends the wait.
	 */
	private void awaitPeerClose(Transport transport, HookInvoker.CloseEvent close, long delayNanos) {
		if (this.closeReported) {
			return;
		}
		if (transport.isPeerCloseReceived()) {
			reportClose(close.wasClean(), close.code(), close.reason());
			return;
		}
		long next = Math.min(delayNanos * 2, PEER_CLOSE_MAX_CHECK_NANOS);
		try {
			this.peerCloseWatch = this.side.timer()
				.schedule(() -> awaitPeerClose(transport, close, next), delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			reportClose(close.wasClean(), close.code(), close.reason());
		}
	}

	// HookInvoker.Callbacks

	@Override
	public void hookFailed(String hook, Throwable ex) {
		if (ex instanceof Disconnected && !isOpen()) {
			logger.debug(hook + " of WebSocket " + this.side.describe() + " sent on a closed connection: "
					+ ex.getMessage());
			return;
		}
		logger.error(hook + " of WebSocket " + this.side.describe() + " failed for peer " + getPeer()
				+ "; closing the connection with 1011", ex);
		failWith(WebSocketProtocol.CLOSE_STATUS_CODE_INTERNAL_ERROR,
				this.side.server() ? "Internal server error" : "Internal error", hook + " failed");
	}

	@Override
	public void closed(HookInvoker.CloseEvent close) {
		try {
			if (this.opened) {
				this.observer.connectionClosed(close.code());
				logAbnormalClose(close);
				this.protocol.onClose(close.wasClean(), close.code(), close.reason());
			}
		}
		catch (Throwable ex) {
			logger.error("onClose of WebSocket " + this.side.describe() + " failed for peer " + getPeer(), ex);
		}
		finally {
			this.side.registry().remove(this.channel);
			disposeProtocol();
			this.listener.closed(close, this.openReturned, this.closedByApplication);
		}
	}

	/**
	 * One DEBUG line for a close that is not a normal end: unclean, or with a code other
	 * than 1000 (normal), 1001 (going away) or none.
	 */
	private void logAbnormalClose(HookInvoker.CloseEvent close) {
		Integer code = close.code();
		boolean normal = close.wasClean() && (code == null || code == WebSocketProtocol.CLOSE_STATUS_CODE_NORMAL
				|| code == WebSocketProtocol.CLOSE_STATUS_CODE_GOING_AWAY);
		if (!normal && logger.isDebugEnabled()) {
			logger.debug("WebSocket connection of " + this.side.describe() + " to " + getPeer() + " closed "
					+ (close.wasClean() ? "with " + code : "abnormally (" + code + ")") + ": " + close.reason());
		}
	}

	// Internals

	ConnectionChannel channel() {
		return this.channel;
	}

	WebSocketProtocol getProtocol() {
		return this.protocol;
	}

	ConnectionRequest getRequest() {
		return this.request;
	}

	ConnectionSide side() {
		return this.side;
	}

	String getPeer() {
		return this.peer;
	}

	String describeState() {
		return switch (this.state) {
			case CONNECTING -> "connecting";
			case OPEN -> "open";
			case CLOSING -> "closing";
			default -> "closed";
		};
	}

	private void closeStream() {
		MessageStream stream = this.stream;
		if (stream != null) {
			stream.close();
		}
	}

	private static String uncleanly(String why) {
		return "connection was closed uncleanly (" + why + ")";
	}

	private static void cancel(@Nullable ScheduledFuture<?> task) {
		if (task != null) {
			task.cancel(false);
		}
	}

	private static byte[] toArray(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

	@Override
	public String toString() {
		return this.channel.toString();
	}

	/**
	 * Sends the auto-pings and drops the connection when one goes unanswered.
	 */
	private final class KeepAliveListener implements KeepAlive.Listener {

		@Override
		public void sendPing(byte[] payload) {
			if (isOpen()) {
				ProtocolConnection.this.channel.trySend(OutboundQueue.Outgoing.ping(payload));
			}
		}

		@Override
		public void pingTimedOut() {
			ProtocolConnection.this.observer.autoPingTimeout();
			if (logger.isDebugEnabled()) {
				logger.debug("Auto-ping timeout for " + getPeer() + "; dropping the connection");
			}
			abort("WebSocket ping timeout (peer did not respond with pong in time)");
		}

	}

}
