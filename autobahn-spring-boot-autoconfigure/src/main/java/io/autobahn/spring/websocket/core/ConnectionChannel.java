package io.autobahn.spring.websocket.core;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.ClientWebSocketChannel;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.ConnectionResponse;
import io.autobahn.spring.websocket.Disconnected;
import io.autobahn.spring.websocket.PreparedMessage;
import io.autobahn.spring.websocket.ServerWebSocketChannel;
import io.autobahn.spring.websocket.WebSocketConnection;
import io.autobahn.spring.websocket.WebSocketConnections;
import io.autobahn.spring.websocket.WebSocketProtocol;

/**
 * A connection as its protocol instance and the application see it: the channel methods
 * and the read-only view ({@link WebSocketConnection}), with no lifecycle method. It owns
 * the connection's send path: the {@link OutboundQueue}, created when the connection
 * opens, and the one way a send failure goes (the queue tells this listener, which drops
 * the connection; the send that failed throws {@link Disconnected}). The close state
 * lives in its {@link ProtocolConnection}. Thread-safe; one per connection.
 * <p>
 * Over this project's usual length because it implements every channel method of the API
 * (each form of send, prepared and streamed messages, pings, closes, the read-only view's
 * getters), each a few lines over the one send path.
 */
final class ConnectionChannel
		implements ServerWebSocketChannel, ClientWebSocketChannel, WebSocketConnection, OutboundQueue.Listener {

	private static final Log logger = LogFactory.getLog(ConnectionChannel.class);

	// The traffic counters: fields through VarHandles, there is one of these per
	// connection.
	private static final VarHandle MESSAGES_RECEIVED;

	private static final VarHandle BYTES_RECEIVED;

	private static final VarHandle MESSAGES_SENT;

	private static final VarHandle BYTES_SENT;

	private static final VarHandle STREAMING;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			MESSAGES_RECEIVED = lookup.findVarHandle(ConnectionChannel.class, "messagesReceived", long.class);
			BYTES_RECEIVED = lookup.findVarHandle(ConnectionChannel.class, "bytesReceived", long.class);
			MESSAGES_SENT = lookup.findVarHandle(ConnectionChannel.class, "messagesSent", long.class);
			BYTES_SENT = lookup.findVarHandle(ConnectionChannel.class, "bytesSent", long.class);
			STREAMING = lookup.findVarHandle(ConnectionChannel.class, "streaming", StreamedMessage.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final ProtocolConnection connection;

	private final ConnectionSide side;

	private final EndpointObserver observer;

	private final String id = ConnectionIds.next();

	// Written by the one thread at a time that delivers what arrives: no atomic update
	// needed.
	private long messagesReceived;

	private long bytesReceived;

	// Written by any sending thread.
	private long messagesSent;

	private long bytesSent;

	private volatile @Nullable OutboundQueue outbound;

	/** The message sent in parts, between beginMessage and endMessage. */
	private volatile @Nullable StreamedMessage streaming;

	private volatile @Nullable Transport transport;

	private volatile @Nullable Instant openedAt;

	private volatile @Nullable Map<String, Object> attributes;

	/** The server's answer, on a client's connection. */
	private volatile @Nullable ConnectionResponse response;

	/** Why the send path failed, for the {@link Disconnected} of the send that failed. */
	private volatile @Nullable String failure;

	ConnectionChannel(ProtocolConnection connection, ConnectionSide side) {
		this.connection = connection;
		this.side = side;
		this.observer = side.observer();
	}

	ProtocolConnection connection() {
		return this.connection;
	}

	/**
	 * The upgrade completed: create the send path.
	 */
	void open(Transport transport) {
		EndpointSettings settings = this.side.settings();
		this.transport = transport;
		OutboundQueue.SendBounds bounds = new OutboundQueue.SendBounds(settings.sendBufferSizeLimit(),
				settings.sendBufferHighWaterMark(), settings.sendBufferLowWaterMark(),
				settings.sendTimeLimit().toNanos());
		this.outbound = new OutboundQueue(transport, this, bounds, this.side.budgets().getOutbound(),
				this.side.timer());
	}

	/**
	 * The server answered a client's handshake with this.
	 */
	void responded(ConnectionResponse response) {
		this.response = response;
	}

	/**
	 * The connection opened, just before {@code onOpen}.
	 */
	void opened() {
		this.openedAt = Instant.now();
	}

	/**
	 * Count a message that arrived; called by the thread that delivers it, one at a time.
	 */
	void received(int size) {
		MESSAGES_RECEIVED.setOpaque(this, (long) MESSAGES_RECEIVED.getOpaque(this) + 1);
		BYTES_RECEIVED.setOpaque(this, (long) BYTES_RECEIVED.getOpaque(this) + size);
	}

	/**
	 * Queue a close frame.
	 * @return whether it was written or queued
	 */
	boolean sendCloseFrame(@Nullable Integer code, @Nullable String reason) {
		OutboundQueue outbound = this.outbound;
		return outbound != null && outbound.send(OutboundQueue.Outgoing.close(code, reason));
	}

	/**
	 * Send a control frame if the send path is up, quietly otherwise.
	 */
	void trySend(OutboundQueue.Outgoing outgoing) {
		OutboundQueue outbound = this.outbound;
		if (outbound != null) {
			outbound.send(outgoing);
		}
	}

	/**
	 * The connection is closed: drop what waits to be sent; later sends fail.
	 */
	void discard() {
		OutboundQueue outbound = this.outbound;
		if (outbound != null) {
			outbound.discard();
		}
	}

	// WebSocketChannel

	@Override
	public void sendMessage(byte[] payload, boolean isBinary, int fragmentSize) {
		int fragment = (fragmentSize > 0) ? fragmentSize : this.side.settings().autoFragmentSize();
		if (!openOutbound().sendMessage(payload, isBinary, fragment)) {
			throw notSent();
		}
		sent(payload.length, isBinary);
	}

	@Override
	public void sendMessage(ByteBuffer payload, boolean isBinary) {
		int size = payload.remaining();
		OutboundQueue outbound = openOutbound();
		// A buffer lent to the hook that sends it is the stack's again once the hook
		// returns.
		ByteBuffer kept = LentBuffers.safeToKeep(payload);
		if (!outbound.send(OutboundQueue.Outgoing.message(kept, isBinary, this.side.settings().autoFragmentSize()))) {
			throw notSent();
		}
		sent(size, isBinary);
	}

	@Override
	public void sendPreparedMessage(PreparedMessage message) {
		SharedMessage shared = SharedMessage.from(message);
		if (!openOutbound().send(OutboundQueue.Outgoing.shared(shared))) {
			throw notSent();
		}
		sent(shared.size(), shared.isBinary());
	}

	@Override
	public void beginMessage(boolean isBinary) {
		OutboundQueue outbound = openOutbound();
		StreamedMessage message = new StreamedMessage(OutboundQueue.Outgoing.streamed(isBinary), isBinary);
		if (!STREAMING.compareAndSet(this, null, message)) {
			throw new IllegalStateException(
					"beginMessage() while a message begun before is being sent in parts: " + "call endMessage() first");
		}
		if (!outbound.send(message.frames)) {
			STREAMING.compareAndSet(this, message, null);
			throw notSent();
		}
	}

	@Override
	public void sendMessageFrameData(ByteBuffer data) {
		StreamedMessage message = this.streaming;
		if (message == null) {
			throw new IllegalStateException("sendMessageFrameData() without beginMessage()");
		}
		if (!message.binary && !endsOnCodePointBoundary(data)) {
			throw new IllegalArgumentException(
					"A text frame must end on a UTF-8 code point boundary: send the rest of the code point with the next frame");
		}
		OutboundQueue outbound = openOutbound();
		int size = data.remaining();
		ByteBuffer kept = LentBuffers.safeToKeep(data);
		if (!outbound.sendFrame(message.frames, kept)) {
			throw notSent();
		}
		message.size += size;
		BYTES_SENT.getAndAdd(this, (long) size);
	}

	@Override
	public void endMessage() {
		StreamedMessage message = this.streaming;
		if (message == null || !STREAMING.compareAndSet(this, message, null)) {
			throw new IllegalStateException("endMessage() without beginMessage()");
		}
		OutboundQueue outbound = openOutbound();
		if (!outbound.endStreamed(message.frames)) {
			throw notSent();
		}
		MESSAGES_SENT.getAndAdd(this, 1L);
		this.observer.messageSent(message.binary, (int) Math.min(message.size, Integer.MAX_VALUE));
	}

	/**
	 * Whether the last UTF-8 sequence of a text frame is complete (the bytes are not
	 * validated otherwise: Autobahn does not validate text it sends).
	 */
	static boolean endsOnCodePointBoundary(ByteBuffer data) {
		int start = data.position();
		int i = data.limit() - 1;
		int continuations = 0;
		while (i >= start && continuations < 4 && (data.get(i) & 0xC0) == 0x80) {
			continuations++;
			i--;
		}
		if (i < start) {
			return true;
		}
		int lead = data.get(i) & 0xFF;
		int length = (lead < 0xC0) ? 1 : (lead < 0xE0) ? 2 : (lead < 0xF0) ? 3 : 4;
		return continuations + 1 >= length;
	}

	/**
	 * Send a prepared message as a broadcast does: without an exception when the
	 * connection is closed or fails on it.
	 * @param message the message
	 * @return whether the connection took it
	 */
	boolean offer(SharedMessage message) {
		OutboundQueue outbound = this.outbound;
		if (this.connection.isOpen() && outbound != null && outbound.send(OutboundQueue.Outgoing.shared(message))) {
			sent(message.size(), message.isBinary());
			return true;
		}
		return false;
	}

	/**
	 * Return what this connection's traffic is reported to.
	 * @return the observer
	 */
	EndpointObserver observer() {
		return this.observer;
	}

	@Override
	public boolean isWritable() {
		OutboundQueue outbound = this.outbound;
		return this.connection.isOpen() && outbound != null && outbound.isWritable();
	}

	private OutboundQueue openOutbound() {
		OutboundQueue outbound = this.outbound;
		if (!this.connection.isOpen() || outbound == null) {
			throw new Disconnected("Attempt to send on a closed protocol (" + this.connection.describeState() + ")");
		}
		return outbound;
	}

	private Disconnected notSent() {
		String failure = this.failure;
		return new Disconnected(
				"Message not sent to " + getPeer() + ": " + ((failure != null) ? failure : "the connection failed"));
	}

	/**
	 * Count a message handed to the send path.
	 */
	private void sent(int size, boolean isBinary) {
		MESSAGES_SENT.getAndAdd(this, 1L);
		BYTES_SENT.getAndAdd(this, (long) size);
		this.observer.messageSent(isBinary, size);
	}

	@Override
	public void sendClose(@Nullable Integer code, @Nullable String reason) {
		if (code != null && code != WebSocketProtocol.CLOSE_STATUS_CODE_NORMAL && (code < 3000 || code > 4999)) {
			throw new IllegalArgumentException("Close code must be 1000 or in 3000-4999, got " + code);
		}
		int reasonLength = (reason != null) ? reason.getBytes(StandardCharsets.UTF_8).length : 0;
		if (reasonLength > 123) {
			throw new IllegalArgumentException("Close reason must be at most 123 UTF-8 bytes, got " + reasonLength);
		}
		this.connection.closeByApplication(code, reason);
	}

	@Override
	public void sendPing(byte[] payload) {
		checkControlPayload(payload);
		if (this.connection.isOpen()) {
			trySend(OutboundQueue.Outgoing.ping(payload));
		}
	}

	@Override
	public void sendPong(byte[] payload) {
		checkControlPayload(payload);
		if (this.connection.isOpen()) {
			trySend(OutboundQueue.Outgoing.pong(payload));
		}
	}

	@Override
	public void dropConnection() {
		this.connection.drop();
	}

	@Override
	public boolean isOpen() {
		return this.connection.isOpen();
	}

	@Override
	public String getPeer() {
		return this.connection.getPeer();
	}

	@Override
	public @Nullable String getSubprotocol() {
		Transport transport = this.transport;
		return (transport != null) ? transport.getSubprotocol() : null;
	}

	@Override
	public List<String> getExtensions() {
		Transport transport = this.transport;
		return (transport != null) ? transport.getExtensions() : List.of();
	}

	// WebSocketConnection

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public String getEndpoint() {
		return this.side.name();
	}

	@Override
	public boolean isServer() {
		return this.side.server();
	}

	@Override
	public ConnectionRequest getRequest() {
		return this.connection.getRequest();
	}

	@Override
	public @Nullable Instant getOpenedAt() {
		return this.openedAt;
	}

	@Override
	public Map<String, Object> getAttributes() {
		Map<String, Object> attributes = this.attributes;
		if (attributes == null) {
			synchronized (this) {
				attributes = this.attributes;
				if (attributes == null) {
					attributes = new ConcurrentHashMap<>(4);
					this.attributes = attributes;
				}
			}
		}
		return attributes;
	}

	@Override
	public WebSocketConnections getConnections() {
		return this.side.connections();
	}

	@Override
	public ConnectionResponse getResponse() {
		ConnectionResponse response = this.response;
		if (response == null) {
			throw new IllegalStateException("A server connection has no handshake response of a server");
		}
		return response;
	}

	@Override
	public long getMessagesReceived() {
		return (long) MESSAGES_RECEIVED.getOpaque(this);
	}

	@Override
	public long getBytesReceived() {
		return (long) BYTES_RECEIVED.getOpaque(this);
	}

	@Override
	public long getMessagesSent() {
		return (long) MESSAGES_SENT.getOpaque(this);
	}

	@Override
	public long getBytesSent() {
		return (long) BYTES_SENT.getOpaque(this);
	}

	// OutboundQueue.Listener: the one path of a send failure

	@Override
	public void sendOverflow(String reason) {
		logger.warn("Dropping WebSocket connection of " + this.side.describe() + " to " + getPeer() + ": " + reason
				+ " (the peer does not read fast enough)");
		this.observer.sendOverflow();
		failed(reason);
	}

	@Override
	public void outboundBudgetExceeded(Budget refusedBy, long amount) {
		this.side.budgets().outboundRefused(refusedBy, amount, getPeer());
		this.observer.messageRefused(false);
		failed("another " + amount + " bytes queued for sending would pass " + refusedBy.getName());
	}

	@Override
	public void writable() {
		this.connection.writable();
	}

	@Override
	public void writeFailed(IOException failure) {
		if (logger.isDebugEnabled()) {
			// The peer went away, as a rule: one line, no stack trace.
			logger.debug("Write to " + getPeer() + " of WebSocket " + this.side.describe() + " failed: " + failure);
		}
		failed("write failed: " + failure.getMessage());
	}

	private void failed(String reason) {
		this.failure = reason;
		this.connection.abort(reason);
	}

	private static void checkControlPayload(byte[] payload) {
		if (payload.length > 125) {
			throw new IllegalArgumentException(
					"Control frame payload must be at most 125 bytes, got " + payload.length);
		}
	}

	@Override
	public String toString() {
		return "WebSocketConnection[id=" + this.id + (this.side.server() ? ", endpoint=" : ", client=") + getEndpoint()
				+ ", peer=" + getPeer() + ", state=" + this.connection.describeState() + "]";
	}

	/**
	 * A message sent in parts, between {@code beginMessage} and {@code endMessage}.
	 */
	private static final class StreamedMessage {

		final OutboundQueue.Outgoing frames;

		final boolean binary;

		/** Its bytes so far; written by its sender, one call at a time. */
		volatile long size;

		StreamedMessage(OutboundQueue.Outgoing frames, boolean binary) {
			this.frames = frames;
			this.binary = binary;
		}

	}

}
