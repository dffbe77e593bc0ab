package io.autobahn.spring.websocket.core;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.Disconnected;
import io.autobahn.spring.websocket.ServerWebSocketChannel;
import io.autobahn.spring.websocket.WebSocketProtocol;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * One connection of an endpoint, between a stack's {@link Transport} and the user's
 * protocol instance. It owns the stack-independent semantics: message assembly under the
 * size limit and the inbound budget (1013 past it), the serialized send path under the
 * outbound budget, the close state machine, the close handshake timeout, 1011 on
 * exceptions in hooks, {@code onClose} exactly once, and its slot of the connection budget
 * until it closes or is given up; auto-ping is its {@link KeepAlive}.
 * <p>
 * Hooks run under a per-connection lock, so {@code onClose} from a timer or another
 * thread never overlaps a running {@code onMessage}: it is handed to whichever thread
 * leaves the hook it is in. A close found while a hook of the same thread runs (a send in
 * {@code onMessage} that overflows, {@code dropConnection()} from a hook) waits until that
 * hook returns. With a hook executor (blocking hooks on an event-loop stack), a close found
 * on any other thread runs {@code onClose} on that executor, never on the caller's thread.
 * <p>
 * {@code wasClean} means what it means in Autobahn: the peer's close frame arrived. A
 * server-initiated close is clean once the peer answers it (with the peer's code and
 * reason where the stack hands them over), and unclean (1006) when the close handshake
 * timeout passes first.
 */
public final class ProtocolConnection implements ServerWebSocketChannel, OutboundQueue.Listener {

	/**
	 * The reason of the starter's close frame for a message over
	 * {@code max-message-payload-size}, on every stack.
	 */
	public static final String MESSAGE_TOO_BIG = "Message too big";

	private static final Log logger = LogFactory.getLog(ProtocolConnection.class);

	private static final int CONNECTING = 0;

	private static final int OPEN = 1;

	private static final int CLOSING = 2;

	private static final int CLOSED = 3;

	private static final long PEER_CLOSE_FIRST_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private static final long PEER_CLOSE_MAX_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	// Fields through VarHandles, not atomics of their own: there is one of these per connection.
	private static final VarHandle STATE;

	private static final VarHandle PENDING_CLOSE;

	private static final VarHandle DISPOSED;

	private static final VarHandle CONNECTION_SLOT;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			STATE = lookup.findVarHandle(ProtocolConnection.class, "state", int.class);
			PENDING_CLOSE = lookup.findVarHandle(ProtocolConnection.class, "pendingClose", CloseEvent.class);
			DISPOSED = lookup.findVarHandle(ProtocolConnection.class, "disposed", boolean.class);
			CONNECTION_SLOT = lookup.findVarHandle(ProtocolConnection.class, "connectionSlot", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final ServerEndpoint endpoint;

	private final WebSocketServerProtocol protocol;

	private final ConnectionRequest request;

	private final ReentrantLock hookLock = new ReentrantLock();

	private final MessageAssembler assembler;

	private volatile int state = CONNECTING;

	private volatile @Nullable CloseEvent pendingClose;

	private volatile boolean closeReported;

	private volatile boolean opened;

	private volatile boolean disposed;

	/** Whether this connection still holds its unit of the connection budget. */
	private volatile boolean connectionSlot;

	private @Nullable String subprotocol;

	private ConnectionAccept accept = ConnectionAccept.accept();

	private volatile @Nullable Transport transport;

	private volatile @Nullable OutboundQueue outbound;

	private volatile @Nullable Executor hookExecutor;

	private volatile @Nullable KeepAlive keepAlive;

	private volatile @Nullable ScheduledFuture<?> closeTimeout;

	private volatile @Nullable ScheduledFuture<?> peerCloseWatch;

	private volatile @Nullable ScheduledFuture<?> openWatch;

	ProtocolConnection(ServerEndpoint endpoint, WebSocketServerProtocol protocol, ConnectionRequest request) {
		this.endpoint = endpoint;
		this.protocol = protocol;
		this.request = request;
		this.assembler = new MessageAssembler(endpoint.settings().maxMessagePayloadSize(),
				endpoint.getBudgets().getInbound());
	}

	/**
	 * The handshake reserved a unit of the connection budget for this connection, before
	 * {@code onConnect}: give it back once, when the connection closes or its protocol
	 * instance is disposed of, whichever comes first (a refused, failed, timed out,
	 * cancelled or abandoned handshake disposes of it without a close).
	 */
	void holdConnectionSlot() {
		this.connectionSlot = true;
	}

	private void releaseConnectionSlot() {
		if (this.connectionSlot && CONNECTION_SLOT.compareAndSet(this, true, false)) {
			this.endpoint.getBudgets().getConnections().release(1);
		}
	}

	/**
	 * Mark a connection whose handshake will not complete as closed before it opened.
	 * @return whether it had not opened yet (its protocol instance is the caller's to
	 * dispose of)
	 */
	boolean abandon() {
		return STATE.compareAndSet(this, CONNECTING, CLOSED);
	}

	/**
	 * Dispose of the protocol instance, once, whichever of the close and the abandoned
	 * handshake gets here first, and give back what the connection holds of the budgets.
	 */
	void disposeProtocol() {
		if (DISPOSED.compareAndSet(this, false, true)) {
			// Frames that reached a connection abandoned before it opened may hold inbound bytes.
			this.assembler.close();
			releaseConnectionSlot();
			this.endpoint.dispose(this.protocol);
		}
	}

	/**
	 * Hold the task that abandons this connection if it does not open in time.
	 * @param watch the task, cancelled once the connection opens
	 */
	void watchOpen(ScheduledFuture<?> watch) {
		this.openWatch = watch;
		if (this.state != CONNECTING) {
			watch.cancel(false);
		}
	}

	void accepted(@Nullable String subprotocol, ConnectionAccept accept) {
		this.subprotocol = subprotocol;
		this.accept = accept;
	}

	/**
	 * Return the subprotocol to answer the handshake with.
	 * @return the subprotocol, or {@code null}
	 */
	public @Nullable String getAcceptedSubprotocol() {
		return this.subprotocol;
	}

	/**
	 * Return the extra headers {@code onConnect} asked for on the {@code 101}, until the
	 * connection opens (the {@code 101} has been sent by then).
	 * @return the headers
	 */
	public ConnectionAccept getAccept() {
		return this.accept;
	}

	/**
	 * Return the endpoint this connection belongs to.
	 * @return the endpoint's definition
	 */
	public EndpointDefinition getEndpoint() {
		return this.endpoint.getDefinition();
	}

	/**
	 * Return the protocol instance serving this connection.
	 * @return the protocol
	 */
	public WebSocketServerProtocol getProtocol() {
		return this.protocol;
	}

	// Events from the stack adapter

	/**
	 * The handshake completed: start the connection and call {@code onOpen} on the calling
	 * thread.
	 * @param transport the stack's transport
	 */
	public void open(Transport transport) {
		open(transport, null);
	}

	/**
	 * The handshake completed: start the connection and call {@code onOpen} on the calling
	 * thread.
	 * @param transport the stack's transport
	 * @param hookExecutor where {@code onClose} runs when the close is found on a thread
	 * that must not run hooks (an event loop or the timer), or {@code null} to run it on
	 * whichever thread finds the close
	 */
	public void open(Transport transport, @Nullable Executor hookExecutor) {
		EndpointSettings settings = this.endpoint.settings();
		this.accept = ConnectionAccept.accept();
		this.transport = transport;
		this.hookExecutor = hookExecutor;
		this.outbound = new OutboundQueue(transport, this, settings.sendBufferSizeLimit(),
				settings.sendTimeLimit().toNanos(), this.endpoint.getBudgets().getOutbound());
		cancel(this.openWatch);
		if (!STATE.compareAndSet(this, CONNECTING, OPEN)) {
			// Abandoned while the stack completed the upgrade, or dropped before it opened (an
			// inbound budget refused its first frames): drop the transport too.
			transport.abort();
			return;
		}
		this.opened = true;
		this.endpoint.getRegistry().add(this);
		if (settings.isAutoPingEnabled()) {
			Duration timeout = settings.autoPingTimeout();
			KeepAlive keepAlive = new KeepAlive(KeepAlive.Scheduler.of(this.endpoint.getTimer()),
					KeepAlive.Clock.SYSTEM, new KeepAliveListener(), settings.autoPingInterval().toNanos(),
					(timeout != null) ? timeout.toNanos() : 0, settings.autoPingSize(),
					settings.autoPingRestartOnAnyTraffic());
			this.keepAlive = keepAlive;
			keepAlive.start();
		}
		this.hookLock.lock();
		try {
			this.protocol.onOpen();
		}
		catch (Throwable ex) {
			hookFailed("onOpen", ex);
		}
		finally {
			this.hookLock.unlock();
		}
		runPendingClose();
	}

	/**
	 * A part of a text message arrived.
	 * @param text the part
	 * @param last whether it ends the message
	 */
	public void textReceived(String text, boolean last) {
		dataReceived();
		byte[] message;
		try {
			message = this.assembler.text(text, last);
		}
		catch (MessageAssembler.MessageTooBigException ex) {
			messageTooBig(ex.getMessage());
			return;
		}
		catch (MessageAssembler.BudgetExceededException ex) {
			inboundBudgetExceeded(ex.refusedBy(), ex.amount());
			return;
		}
		if (message != null) {
			deliver(message, false);
		}
	}

	/**
	 * A part of a binary message arrived.
	 * @param data the part (read before this method returns, not kept)
	 * @param last whether it ends the message
	 */
	public void binaryReceived(ByteBuffer data, boolean last) {
		frameReceived(data, true, last);
	}

	/**
	 * A frame of a message arrived as bytes (text frames as UTF-8).
	 * @param data the frame's payload (read before this method returns, not kept)
	 * @param isBinary whether the message is binary
	 * @param last whether the frame ends the message
	 */
	public void frameReceived(ByteBuffer data, boolean isBinary, boolean last) {
		dataReceived();
		byte[] message;
		try {
			message = this.assembler.binary(data, last);
		}
		catch (MessageAssembler.MessageTooBigException ex) {
			messageTooBig(ex.getMessage());
			return;
		}
		catch (MessageAssembler.BudgetExceededException ex) {
			inboundBudgetExceeded(ex.refusedBy(), ex.amount());
			return;
		}
		if (message != null) {
			deliver(message, isBinary);
		}
	}

	/**
	 * A ping arrived (on stacks that hand pings over).
	 * @param payload the payload
	 */
	public void pingReceived(ByteBuffer payload) {
		byte[] bytes = toArray(payload);
		invokeHook("onPing", () -> this.protocol.onPing(bytes));
	}

	/**
	 * A pong arrived. One that answers the pending auto-ping also calls
	 * {@code onAutoPong}, before {@code onPong}, as in Autobahn.
	 * @param payload the payload
	 */
	public void pongReceived(ByteBuffer payload) {
		byte[] bytes = toArray(payload);
		KeepAlive keepAlive = this.keepAlive;
		KeepAlive.AutoPong pong = (keepAlive != null) ? keepAlive.pongReceived(bytes) : null;
		invokeHook("onPong", () -> {
			if (pong != null) {
				this.protocol.onAutoPong(pong.pingSentEpochNanos(), pong.sequence(), pong.pongReceivedEpochNanos(),
						Duration.ofNanos(pong.rttNanos()), pong.payload());
			}
			this.protocol.onPong(bytes);
		});
	}

	/**
	 * The connection is gone, as the stack reports it.
	 * <p>
	 * On a stack that reports a server-initiated close as soon as the server's close frame
	 * is sent ({@link Transport#reportsCloseWhenSent()}), the close is reported once the
	 * peer's close frame has arrived, or as unclean when the close handshake timeout passes
	 * first.
	 * @param code the close code the stack reports: the peer's, 1005 for a close frame
	 * without one, or 1006 when the connection dropped
	 * @param reason the close reason; an empty one is reported as {@code null}, as the
	 * wire does not tell an empty reason from none
	 */
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
			awaitPeerClose(transport, new CloseEvent(true, closeCode, closeReason), PEER_CLOSE_FIRST_CHECK_NANOS);
			return;
		}
		reportClose(true, closeCode, closeReason);
	}

	// WebSocketChannel

	@Override
	public void sendMessage(byte[] payload, boolean isBinary, int fragmentSize) {
		int fragment = (fragmentSize > 0) ? fragmentSize : this.endpoint.settings().autoFragmentSize();
		send(OutboundQueue.Outgoing.message(payload, isBinary, fragment));
	}

	@Override
	public void sendClose(@Nullable Integer code, @Nullable String reason) {
		startClose(code, reason);
	}

	@Override
	public void sendPing(byte[] payload) {
		if (this.state == OPEN) {
			trySend(OutboundQueue.Outgoing.ping(payload));
		}
	}

	@Override
	public void sendPong(byte[] payload) {
		if (this.state == OPEN) {
			trySend(OutboundQueue.Outgoing.pong(payload));
		}
	}

	@Override
	public boolean isOpen() {
		return this.state == OPEN;
	}

	@Override
	public String getPeer() {
		return this.request.peer();
	}

	@Override
	public @Nullable String getSubprotocol() {
		Transport transport = this.transport;
		return (transport != null) ? transport.getSubprotocol() : this.subprotocol;
	}

	@Override
	public List<String> getExtensions() {
		Transport transport = this.transport;
		return (transport != null) ? transport.getExtensions() : List.of();
	}

	@Override
	public ConnectionRequest getRequest() {
		return this.request;
	}

	@Override
	public void dropConnection() {
		if (this.state == CONNECTING) {
			throw new IllegalStateException(
					"Cannot drop a connection that is not open yet: throw ConnectionDeny from onConnect to refuse it");
		}
		abort("dropped by the application");
	}

	// Closing

	/**
	 * Close with 1001 because the server is shutting down.
	 */
	void goingAway() {
		startClose(WebSocketProtocol.CLOSE_STATUS_CODE_GOING_AWAY, "server shutting down");
	}

	/**
	 * Drop the connection without a close handshake; {@code onClose(false, 1006, ...)}
	 * follows.
	 * @param why why, for the log and the close reason
	 */
	public void abort(String why) {
		// Report first: the container reports the drop too, with a less telling reason.
		reportClose(false, WebSocketProtocol.CLOSE_STATUS_CODE_ABNORMAL_CLOSE, uncleanly(why));
		Transport transport = this.transport;
		if (transport != null) {
			transport.abort();
		}
	}

	private void startClose(@Nullable Integer code, @Nullable String reason) {
		if (!STATE.compareAndSet(this, OPEN, CLOSING)) {
			if (this.state == CONNECTING) {
				throw new IllegalStateException("Cannot close a connection that is not open yet");
			}
			return;
		}
		long timeout = this.endpoint.settings().closeHandshakeTimeout().toNanos();
		if (timeout > 0) {
			this.closeTimeout = this.endpoint.getTimer()
				.schedule(() -> abort("WebSocket closing handshake timeout (peer did not finish the closing handshake "
						+ "in time)"), timeout, TimeUnit.NANOSECONDS);
		}
		OutboundQueue outbound = this.outbound;
		if (outbound == null || outbound.send(OutboundQueue.Outgoing.close(code, reason)) != null) {
			abort("close frame could not be sent");
		}
	}

	private void reportClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
		if (this.closeReported) {
			return;
		}
		synchronized (this) {
			if (this.closeReported) {
				return;
			}
			this.closeReported = true;
		}
		this.state = CLOSED;
		KeepAlive keepAlive = this.keepAlive;
		if (keepAlive != null) {
			keepAlive.stop();
		}
		cancel(this.closeTimeout);
		cancel(this.peerCloseWatch);
		OutboundQueue outbound = this.outbound;
		if (outbound != null) {
			outbound.discard();
		}
		this.assembler.close();
		releaseConnectionSlot();
		this.pendingClose = new CloseEvent(wasClean, code, reason);
		Executor executor = this.hookExecutor;
		if (executor != null && !this.hookLock.isHeldByCurrentThread()) {
			try {
				executor.execute(this::runPendingClose);
				return;
			}
			catch (RejectedExecutionException ex) {
				// Shutting down: run it here rather than never.
			}
		}
		runPendingClose();
	}

	/**
	 * On a stack that reports a server-initiated close when its close frame is sent, look
	 * whether the peer's close frame has arrived, first soon, then less often; the close
	 * handshake timeout ends the wait.
	 */
	private void awaitPeerClose(Transport transport, CloseEvent close, long delayNanos) {
		if (this.closeReported) {
			return;
		}
		if (transport.isPeerCloseReceived()) {
			reportClose(close.wasClean(), close.code(), close.reason());
			return;
		}
		long next = Math.min(delayNanos * 2, PEER_CLOSE_MAX_CHECK_NANOS);
		try {
			this.peerCloseWatch = this.endpoint.getTimer()
				.schedule(() -> awaitPeerClose(transport, close, next), delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			reportClose(close.wasClean(), close.code(), close.reason());
		}
	}

	private void runPendingClose() {
		// A thread inside a hook runs the close when it leaves the hook.
		if (this.pendingClose == null || this.hookLock.isHeldByCurrentThread() || !this.hookLock.tryLock()) {
			return;
		}
		try {
			CloseEvent close = (CloseEvent) PENDING_CLOSE.getAndSet(this, null);
			if (close == null) {
				return;
			}
			try {
				if (this.opened) {
					this.protocol.onClose(close.wasClean(), close.code(), close.reason());
				}
			}
			catch (Throwable ex) {
				logger.error("onClose of WebSocket endpoint '" + getEndpoint().name() + "' failed for peer "
						+ getPeer(), ex);
			}
			finally {
				this.endpoint.getRegistry().remove(this);
				disposeProtocol();
			}
		}
		finally {
			this.hookLock.unlock();
		}
	}

	// OutboundQueue.Listener

	@Override
	public void sendOverflow(String reason) {
		logger.warn("Dropping WebSocket connection of endpoint '" + getEndpoint().name() + "' to " + getPeer() + ": "
				+ reason + " (the peer does not read fast enough)");
		abort(reason);
	}

	@Override
	public void outboundBudgetExceeded(Budget refusedBy, long amount) {
		this.endpoint.getBudgets().outboundRefused(refusedBy, amount, getPeer());
		abort("another " + amount + " bytes queued for sending would pass " + refusedBy.getName());
	}

	@Override
	public void writeFailed(IOException failure) {
		if (logger.isDebugEnabled()) {
			logger.debug("Write to " + getPeer() + " failed", failure);
		}
		abort("write failed: " + failure.getMessage());
	}

	// Internals

	private void send(OutboundQueue.Outgoing outgoing) {
		OutboundQueue outbound = this.outbound;
		if (this.state != OPEN || outbound == null) {
			throw new Disconnected("Attempt to send on a closed protocol (" + describeState() + ")");
		}
		String failure = outbound.send(outgoing);
		if (failure != null) {
			throw new Disconnected("Message not sent to " + getPeer() + ": " + failure);
		}
	}

	private void trySend(OutboundQueue.Outgoing outgoing) {
		OutboundQueue outbound = this.outbound;
		if (outbound != null) {
			outbound.send(outgoing);
		}
	}

	private void dataReceived() {
		KeepAlive keepAlive = this.keepAlive;
		if (keepAlive != null) {
			keepAlive.dataReceived();
		}
	}

	private void deliver(byte[] message, boolean isBinary) {
		this.hookLock.lock();
		try {
			if (!this.closeReported) {
				this.protocol.onMessage(message, isBinary);
			}
		}
		catch (Throwable ex) {
			hookFailed("onMessage", ex);
		}
		finally {
			this.hookLock.unlock();
		}
		if (this.pendingClose != null) {
			runPendingClose();
		}
	}

	private void invokeHook(String hook, Runnable invocation) {
		this.hookLock.lock();
		try {
			if (!this.closeReported) {
				invocation.run();
			}
		}
		catch (Throwable ex) {
			hookFailed(hook, ex);
		}
		finally {
			this.hookLock.unlock();
		}
		runPendingClose();
	}

	private void hookFailed(String hook, Throwable ex) {
		if (ex instanceof Disconnected && !isOpen()) {
			logger.debug(hook + " of WebSocket endpoint '" + getEndpoint().name() + "' sent on a closed connection", ex);
			return;
		}
		logger.error(hook + " of WebSocket endpoint '" + getEndpoint().name() + "' failed for peer " + getPeer()
				+ "; closing the connection with 1011", ex);
		startClose(WebSocketProtocol.CLOSE_STATUS_CODE_INTERNAL_ERROR, "Internal server error");
	}

	/**
	 * An incoming message passed {@code max-message-payload-size} (found by the starter, or
	 * by a stack that bounds decompression): close with 1009.
	 * @param detail what was exceeded, for the debug log
	 */
	public void messageTooBig(String detail) {
		if (logger.isDebugEnabled()) {
			logger.debug("Closing connection of endpoint '" + getEndpoint().name() + "' to " + getPeer() + " with 1009: "
					+ detail);
		}
		startClose(WebSocketProtocol.CLOSE_STATUS_CODE_MESSAGE_TOO_BIG, MESSAGE_TOO_BIG);
	}

	private static String uncleanly(String why) {
		return "connection was closed uncleanly (" + why + ")";
	}

	/**
	 * The inbound budget refused the bytes an incoming message needs next (found by the
	 * starter's assembler, or by a stack adapter that bounds what the container buffers):
	 * close with 1013 (try again later), counted by the budget and logged at WARN, rate-limited.
	 * @param refusedBy the budget that refused
	 * @param amount the bytes it refused
	 */
	public void inboundBudgetExceeded(Budget refusedBy, long amount) {
		this.endpoint.getBudgets().inboundRefused(refusedBy, amount, getPeer());
		if (this.state == CONNECTING) {
			// Frames before onOpen (hooks run off the event loop): no close frame can be sent yet.
			abort("another " + amount + " bytes would pass " + refusedBy.getName());
			return;
		}
		startClose(WebSocketProtocol.CLOSE_STATUS_CODE_TRY_AGAIN_LATER, "Try again later");
	}

	/**
	 * Return the endpoint's budget of bytes queued for sending, which a stack's transport
	 * also counts the bytes it has taken over and not yet written against.
	 * @return the outbound budget
	 */
	public Budget getOutboundBudget() {
		return this.endpoint.getBudgets().getOutbound();
	}

	/**
	 * Return the endpoint's budget of bytes held by partly received messages, which a
	 * stack adapter also counts what the container buffers against.
	 * @return the inbound budget
	 */
	public Budget getInboundBudget() {
		return this.endpoint.getBudgets().getInbound();
	}

	private String describeState() {
		return switch (this.state) {
			case CONNECTING -> "connecting";
			case OPEN -> "open";
			case CLOSING -> "closing";
			default -> "closed";
		};
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
		return "ProtocolConnection[endpoint=" + getEndpoint().name() + ", peer=" + getPeer() + ", state="
				+ describeState() + "]";
	}

	private record CloseEvent(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
	}

	/**
	 * Sends the auto-pings and drops the connection when one goes unanswered.
	 */
	private final class KeepAliveListener implements KeepAlive.Listener {

		@Override
		public void sendPing(byte[] payload) {
			if (ProtocolConnection.this.state == OPEN) {
				trySend(OutboundQueue.Outgoing.ping(payload));
			}
		}

		@Override
		public void pingTimedOut() {
			if (logger.isDebugEnabled()) {
				logger.debug("Auto-ping timeout for " + getPeer() + "; dropping the connection");
			}
			abort("WebSocket ping timeout (peer did not respond with pong in time)");
		}

	}

}
