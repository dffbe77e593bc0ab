package io.autobahn.spring.websocket.servlet;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Extension;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.ServerFrameHeader;
import io.autobahn.spring.websocket.core.SharedMessage;
import io.autobahn.spring.websocket.core.Transport;

/**
 * A {@link Transport} over a Jakarta WebSocket {@link Session} (Tomcat, or another JSR
 * 356 container). On Tomcat every frame is written asynchronously through Tomcat's own
 * frame writes ({@link TomcatSessions.AsyncFrames}): a write returns at once, and
 * Tomcat's {@link SendHandler} (this transport, one frame at a time) completes it, on one
 * of Tomcat's threads once the socket did not take it at once; text goes as its UTF-8
 * bytes, and the close frame, which Tomcat only writes blocking, is written on Tomcat's
 * executor. A whole message or a control frame goes straight to the socket while Tomcat
 * writes nothing else ({@link TomcatSessions}), and completes without a hand-off when the
 * socket takes it at once. Where those internals cannot be reached (another container,
 * another Tomcat), writes block their thread as Jakarta's basic remote does, for at most
 * {@code send-time-limit}, and complete before they return.
 * <p>
 * Tomcat reports a server-initiated close when its close frame is sent; whether the peer
 * answered shows as its session becoming closed.
 */
final class StandardSessionTransport implements Transport, SendHandler {

	private static final boolean TOMCAT_PRESENT = ClassUtils.isPresent("org.apache.tomcat.websocket.WsSession",
			StandardSessionTransport.class.getClassLoader());

	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	private static final byte OPCODE_TEXT = 0x1;

	private static final byte OPCODE_BINARY = 0x2;

	private static final byte OPCODE_PING = 0x9;

	private static final byte OPCODE_PONG = 0xA;

	private static final VarHandle PENDING;

	static {
		try {
			PENDING = MethodHandles.lookup()
				.findVarHandle(StandardSessionTransport.class, "pending", Transport.Completion.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final Session session;

	private final TomcatSessions.@Nullable AsyncFrames frames;

	/**
	 * The completion of the frame Tomcat is writing; taken once, by its result or by
	 * abort.
	 */
	private volatile @Nullable Completion pending;

	/** The bytes of that frame, written before it is published. */
	private long pendingBytes;

	/**
	 * Whether the data frames written so far end in the middle of a message; only touched
	 * by the writing thread (the connection's send path).
	 */
	private boolean fragmented;

	StandardSessionTransport(Session session, EndpointSettings settings) {
		this.session = session;
		this.frames = TOMCAT_PRESENT ? TomcatSessions.asyncFrames(session) : null;
		session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, settings.sendTimeLimit().toMillis());
	}

	@Override
	public void sendText(ByteBuffer utf8, boolean last, Completion completion) throws IOException {
		if (this.frames != null) {
			start(OPCODE_TEXT, utf8, last, completion);
			return;
		}
		int length = utf8.remaining();
		this.session.getBasicRemote().sendText(StandardCharsets.UTF_8.decode(utf8).toString(), last);
		completion.written(length);
	}

	@Override
	public void sendBinary(ByteBuffer data, boolean last, Completion completion) throws IOException {
		if (this.frames != null) {
			start(OPCODE_BINARY, data, last, completion);
			return;
		}
		int length = data.remaining();
		this.session.getBasicRemote().sendBinary(data, last);
		completion.written(length);
	}

	/**
	 * On Tomcat, write the message's whole frame straight to the socket when Tomcat is
	 * writing nothing (see {@link TomcatSessions}): its result comes without a hand-off
	 * to Tomcat's executor, and from a direct buffer the socket does not copy first.
	 * Otherwise as a frame of Tomcat's over the shared payload.
	 */
	@Override
	public void sendShared(SharedMessage message, Completion completion) throws IOException {
		TomcatSessions.AsyncFrames frames = this.frames;
		if (frames != null && frames.holdForWholeFrame()) {
			this.pendingBytes = message.size();
			this.pending = completion;
			frames.writeWholeFrame(this, message.directFrame());
			return;
		}
		Transport.super.sendShared(message, completion);
	}

	@Override
	public void sendPing(ByteBuffer payload, Completion completion) throws IOException {
		if (this.frames != null) {
			start(OPCODE_PING, payload, true, completion);
			return;
		}
		int length = payload.remaining();
		this.session.getBasicRemote().sendPing(payload);
		completion.written(length);
	}

	@Override
	public void sendPong(ByteBuffer payload, Completion completion) throws IOException {
		if (this.frames != null) {
			start(OPCODE_PONG, payload, true, completion);
			return;
		}
		int length = payload.remaining();
		this.session.getBasicRemote().sendPong(payload);
		completion.written(length);
	}

	/**
	 * Close through the session, which updates its state and writes the close frame,
	 * blocking: on Tomcat's executor where it can be reached, so that the caller does not
	 * wait for a peer that does not read.
	 */
	@Override
	public void close(@Nullable Integer code, @Nullable String reason, Completion completion) throws IOException {
		// Jakarta WebSocket cannot send an empty close frame: 1000 is the closest.
		int status = (code != null) ? code : CloseReason.CloseCodes.NORMAL_CLOSURE.getCode();
		CloseReason closeReason = new CloseReason(CloseReason.CloseCodes.getCloseCode(status),
				(reason != null) ? reason : "");
		TomcatSessions.AsyncFrames frames = this.frames;
		if (frames == null) {
			this.session.close(closeReason);
			completion.written(0);
			return;
		}
		frames.execute(() -> {
			try {
				this.session.close(closeReason);
				completion.written(0);
			}
			catch (IOException | RuntimeException ex) {
				completion.failed(0, ex);
			}
		});
	}

	@Override
	public void abort() {
		if (!(TOMCAT_PRESENT && TomcatSessions.abort(this.session))) {
			try {
				this.session.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "connection dropped"));
			}
			catch (IOException | RuntimeException ex) {
				// Already gone.
			}
		}
		// Tomcat completes the frame it writes when it closes, but not one still in its
		// queue.
		Completion completion = (Completion) PENDING.getAndSet(this, null);
		if (completion != null) {
			completion.failed(this.pendingBytes, new EOFException("Connection dropped"));
		}
	}

	@Override
	public boolean reportsCloseWhenSent() {
		// Tomcat's WsSession fires onClose once its own close frame is written.
		return TOMCAT_PRESENT && TomcatSessions.isTomcatSession(this.session);
	}

	@Override
	public boolean isPeerCloseReceived() {
		return TOMCAT_PRESENT && TomcatSessions.isClosed(this.session);
	}

	@Override
	public @Nullable String getSubprotocol() {
		String subprotocol = this.session.getNegotiatedSubprotocol();
		return (subprotocol != null && !subprotocol.isEmpty()) ? subprotocol : null;
	}

	@Override
	public List<String> getExtensions() {
		return this.session.getNegotiatedExtensions().stream().map(Extension::getName).toList();
	}

	private void start(byte opcode, ByteBuffer payload, boolean last, Completion completion) throws IOException {
		TomcatSessions.AsyncFrames frames = this.frames;
		if (frames == null) {
			throw new IllegalStateException("No asynchronous frame writes");
		}
		boolean control = (opcode & 0x8) != 0;
		// A whole message, or a control frame, may go straight to the socket; the frames
		// of a fragmented message go through Tomcat, which keeps track of them.
		boolean whole = control || (last && !this.fragmented);
		if (!control) {
			this.fragmented = !last;
		}
		this.pendingBytes = payload.remaining();
		this.pending = completion;
		if (whole && frames.holdForWholeFrame()) {
			int length = payload.remaining();
			ByteBuffer header = ServerFrameHeader.put(ByteBuffer.allocate(ServerFrameHeader.size(length)), opcode,
					length);
			frames.writeWholeFrame(this, header.flip(), payload);
			return;
		}
		try {
			frames.start(opcode, payload, last, this);
		}
		catch (Throwable ex) {
			if (PENDING.compareAndSet(this, completion, null)) {
				throw (ex instanceof IOException io) ? io : new IOException(ex.getMessage(), ex);
			}
			// Completed already: its completion has the outcome.
		}
	}

	/**
	 * Tomcat's result for the frame it was writing.
	 */
	@Override
	public void onResult(SendResult result) {
		Completion completion = (Completion) PENDING.getAndSet(this, null);
		if (completion == null) {
			return;
		}
		if (result.isOK()) {
			completion.written(this.pendingBytes);
		}
		else {
			Throwable failure = result.getException();
			completion.failed(this.pendingBytes, (failure != null) ? failure : new IOException("Write failed"));
		}
	}

	/**
	 * Return whether the frames go through Tomcat's asynchronous path.
	 * @return whether writes never block
	 */
	boolean isAsync() {
		return this.frames != null;
	}

}
