package io.autobahn.spring.websocket.servlet;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.core.SharedMessage;
import io.autobahn.spring.websocket.core.Transport;

/**
 * A {@link Transport} over Jetty's native WebSocket {@link Session}, which Spring uses on
 * Jetty. Incoming messages reach the starter in parts
 * ({@link JettyPartialMessageListener}), which it assembles under its own limits (Jetty's
 * message size limits apply only to listeners that take whole messages, so they are not
 * set). Writes are Jetty's asynchronous ones: a write returns at once and Jetty's
 * callback (this transport, one frame at a time) completes it once written.
 * <p>
 * Data frames go to the session's core ({@link CoreSession#sendFrame}), as Jetty's own
 * {@code sendPartialText} and {@code sendPartialBinary} do, but with the payload's bytes
 * as they are: Jetty's API takes text as strings, which it would encode again. A prepared
 * message's payload is the one copy in direct memory that every connection shares
 * ({@link SharedMessage#directPayload()}): Jetty writes its header and that payload in
 * one gathering write, copying nothing per connection, and compresses it where the
 * connection negotiated permessage-deflate. Control frames go through the API. Where the
 * session is not Jetty's own implementation (no core to reach), text goes through the API
 * as strings.
 */
final class JettySessionTransport implements Transport, Callback, org.eclipse.jetty.util.Callback {

	private static final VarHandle PENDING;

	static {
		try {
			PENDING = MethodHandles.lookup()
				.findVarHandle(JettySessionTransport.class, "pending", Transport.Completion.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final Session session;

	/** The session's core, for data frames; {@code null} where it cannot be reached. */
	private final @Nullable CoreSession core;

	/** Whether the next data frame continues a message; only touched by the send path. */
	private boolean continuation;

	/**
	 * The completion of the frame Jetty is writing; taken once, by its result or by
	 * abort.
	 */
	private volatile @Nullable Completion pending;

	/** The bytes of that frame, written before it is published. */
	private long pendingBytes;

	JettySessionTransport(Session session) {
		this.session = session;
		this.core = (session instanceof WebSocketSession jetty) ? jetty.getCoreSession() : null;
		// Like Autobahn (and Tomcat), idle connections stay open; auto-ping detects dead
		// peers.
		session.setIdleTimeout(Duration.ZERO);
	}

	static boolean isJettySession(Object nativeSession) {
		return nativeSession instanceof Session;
	}

	@Override
	public void sendText(ByteBuffer utf8, boolean last, Completion completion) throws IOException {
		if (this.core != null) {
			sendData(OpCode.TEXT, utf8, last, completion);
			return;
		}
		int length = utf8.remaining();
		String text = StandardCharsets.UTF_8.decode(utf8).toString();
		write(length, completion, () -> this.session.sendPartialText(text, last, this));
	}

	@Override
	public void sendText(byte[] utf8, int offset, int length, boolean last, Completion completion) throws IOException {
		if (this.core != null) {
			sendData(OpCode.TEXT, ByteBuffer.wrap(utf8, offset, length), last, completion);
			return;
		}
		String text = new String(utf8, offset, length, StandardCharsets.UTF_8);
		write(length, completion, () -> this.session.sendPartialText(text, last, this));
	}

	@Override
	public void sendBinary(ByteBuffer data, boolean last, Completion completion) throws IOException {
		if (this.core != null) {
			sendData(OpCode.BINARY, data, last, completion);
			return;
		}
		write(data.remaining(), completion, () -> this.session.sendPartialBinary(data, last, this));
	}

	@Override
	public void sendShared(SharedMessage message, Completion completion) throws IOException {
		if (this.core != null) {
			sendData(message.isBinary() ? OpCode.BINARY : OpCode.TEXT, message.directPayload(), true, completion);
		}
		else if (message.isBinary()) {
			sendBinary(message.payload(), true, completion);
		}
		else {
			String text = message.text();
			write(message.size(), completion, () -> this.session.sendPartialText(text, true, this));
		}
	}

	@Override
	public void sendPing(ByteBuffer payload, Completion completion) throws IOException {
		write(payload.remaining(), completion, () -> this.session.sendPing(payload, this));
	}

	@Override
	public void sendPong(ByteBuffer payload, Completion completion) throws IOException {
		write(payload.remaining(), completion, () -> this.session.sendPong(payload, this));
	}

	@Override
	public void close(@Nullable Integer code, @Nullable String reason, Completion completion) throws IOException {
		write(0, completion, () -> this.session.close((code != null) ? code : StatusCode.NO_CODE, reason, this));
	}

	@Override
	public void abort() {
		this.session.disconnect();
		Completion completion = (Completion) PENDING.getAndSet(this, null);
		if (completion != null) {
			completion.failed(this.pendingBytes, new EOFException("Connection dropped"));
		}
	}

	@Override
	public @Nullable String getSubprotocol() {
		String subprotocol = this.session.getUpgradeResponse().getAcceptedSubProtocol();
		return (subprotocol != null && !subprotocol.isEmpty()) ? subprotocol : null;
	}

	@Override
	public List<String> getExtensions() {
		return this.session.getUpgradeResponse().getExtensions().stream().map(ExtensionConfig::getName).toList();
	}

	private void sendData(byte opcode, ByteBuffer payload, boolean last, Completion completion) throws IOException {
		CoreSession core = this.core;
		Frame frame = new Frame(this.continuation ? OpCode.CONTINUATION : opcode, last, payload);
		this.continuation = !last;
		write(payload.remaining(), completion, () -> core.sendFrame(frame, this, false));
	}

	/**
	 * Hand Jetty a frame, with this transport as its callback: one at a time, the send
	 * path waits for the callback before the next.
	 */
	private void write(long bytes, Completion completion, Runnable send) throws IOException {
		this.pendingBytes = bytes;
		this.pending = completion;
		try {
			send.run();
		}
		catch (RuntimeException ex) {
			if (PENDING.compareAndSet(this, completion, null)) {
				throw new IOException(ex.getMessage(), ex);
			}
			// Completed already: its completion has the outcome.
		}
	}

	/**
	 * Jetty wrote the frame.
	 */
	@Override
	public void succeed() {
		Completion completion = (Completion) PENDING.getAndSet(this, null);
		if (completion != null) {
			completion.written(this.pendingBytes);
		}
	}

	/**
	 * Jetty could not write the frame.
	 */
	@Override
	public void fail(Throwable cause) {
		Completion completion = (Completion) PENDING.getAndSet(this, null);
		if (completion != null) {
			completion.failed(this.pendingBytes, cause);
		}
	}

	/**
	 * Jetty's core wrote a data frame.
	 */
	@Override
	public void succeeded() {
		succeed();
	}

	/**
	 * Jetty's core could not write a data frame.
	 */
	@Override
	public void failed(Throwable cause) {
		fail(cause);
	}

}
