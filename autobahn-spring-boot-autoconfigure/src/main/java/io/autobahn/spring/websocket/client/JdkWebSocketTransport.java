package io.autobahn.spring.websocket.client;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.WebSocketProtocol;
import io.autobahn.spring.websocket.core.Transport;

/**
 * A {@link Transport} on a JDK {@code WebSocket}, whose sends are asynchronous and allow
 * one outstanding send at a time: a write hands its frame over and returns, and the
 * send's future completes the frame; the connection's send path hands over the next frame
 * only then ({@link #buffersWrites()} is {@code false}), and its timer drops the
 * connection when a frame takes longer than {@code send-time-limit}. Text frames are
 * decoded from their UTF-8 for the JDK's API (they end on code point boundaries).
 */
final class JdkWebSocketTransport implements Transport {

	private static final VarHandle PENDING;

	static {
		try {
			PENDING = MethodHandles.lookup().findVarHandle(JdkWebSocketTransport.class, "pending", Completion.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final WebSocket webSocket;

	private final @Nullable String subprotocol;

	/**
	 * The completion of the frame the JDK is sending; taken once, by its result or by
	 * abort.
	 */
	private volatile @Nullable Completion pending;

	/** The bytes of that frame, written before it is published. */
	private long pendingBytes;

	JdkWebSocketTransport(WebSocket webSocket, @Nullable String subprotocol) {
		this.webSocket = webSocket;
		this.subprotocol = subprotocol;
	}

	@Override
	public void sendText(ByteBuffer utf8, boolean last, Completion completion) throws IOException {
		int length = utf8.remaining();
		String text = StandardCharsets.UTF_8.decode(utf8).toString();
		send(length, completion, () -> this.webSocket.sendText(text, last));
	}

	@Override
	public void sendBinary(ByteBuffer data, boolean last, Completion completion) throws IOException {
		send(data.remaining(), completion, () -> this.webSocket.sendBinary(data, last));
	}

	@Override
	public void sendPing(ByteBuffer payload, Completion completion) throws IOException {
		send(payload.remaining(), completion, () -> this.webSocket.sendPing(payload));
	}

	@Override
	public void sendPong(ByteBuffer payload, Completion completion) throws IOException {
		send(payload.remaining(), completion, () -> this.webSocket.sendPong(payload));
	}

	/**
	 * The JDK sends only the codes an application may send (1000 and 3000-4999): an empty
	 * close and 1001 (the application going away) are sent as 1000, and a close for an
	 * error the engine found (1009, 1011, ...) is refused, which drops the connection as
	 * Autobahn's {@code failByDrop} would.
	 */
	@Override
	public void close(@Nullable Integer code, @Nullable String reason, Completion completion) throws IOException {
		int sent = (code == null || code == WebSocketProtocol.CLOSE_STATUS_CODE_GOING_AWAY)
				? WebSocketProtocol.CLOSE_STATUS_CODE_NORMAL : code;
		if (sent != WebSocketProtocol.CLOSE_STATUS_CODE_NORMAL && (sent < 3000 || sent > 4999)) {
			throw new IOException("the JDK's WebSocket client cannot send close code " + code
					+ " (only 1000 and 3000-4999), so the connection is dropped instead");
		}
		send(0, completion, () -> this.webSocket.sendClose(sent, (reason != null) ? reason : ""));
	}

	@Override
	public void abort() {
		this.webSocket.abort();
		Completion completion = (Completion) PENDING.getAndSet(this, null);
		if (completion != null) {
			completion.failed(this.pendingBytes, new EOFException("Connection dropped"));
		}
	}

	@Override
	public @Nullable String getSubprotocol() {
		return this.subprotocol;
	}

	@Override
	public List<String> getExtensions() {
		return List.of();
	}

	private void send(long bytes, Completion completion, SendCall call) throws IOException {
		this.pendingBytes = bytes;
		this.pending = completion;
		CompletableFuture<WebSocket> future;
		try {
			future = call.send();
		}
		catch (RuntimeException ex) {
			if (PENDING.compareAndSet(this, completion, null)) {
				throw new IOException(ex.getMessage(), ex);
			}
			return;
		}
		future.whenComplete((webSocket, failure) -> {
			if (PENDING.compareAndSet(this, completion, null)) {
				if (failure == null) {
					completion.written(bytes);
				}
				else {
					Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
							? failure.getCause() : failure;
					completion.failed(bytes, cause);
				}
			}
		});
	}

	@FunctionalInterface
	private interface SendCall {

		CompletableFuture<WebSocket> send();

	}

}
