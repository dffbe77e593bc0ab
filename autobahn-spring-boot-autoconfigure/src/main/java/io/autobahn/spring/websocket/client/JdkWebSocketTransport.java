package io.autobahn.spring.websocket.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.WebSocketProtocol;
import io.autobahn.spring.websocket.core.Transport;

/**
 * A {@link Transport} on a JDK {@code WebSocket}, whose sends are asynchronous but allow one
 * outstanding send at a time: each write waits for the previous one (at most
 * {@code send-time-limit}, past which the write fails), then hands its frame over. The
 * connection's send queue serializes the calls; the frame handed over last is what this
 * transport holds ({@link #unwrittenBytes()}).
 */
final class JdkWebSocketTransport implements Transport {

	private final WebSocket webSocket;

	private final @Nullable String subprotocol;

	private final long timeLimitNanos;

	private volatile CompletableFuture<?> previous = CompletableFuture.completedFuture(null);

	private volatile long previousBytes;

	JdkWebSocketTransport(WebSocket webSocket, @Nullable String subprotocol, Duration timeLimit) {
		this.webSocket = webSocket;
		this.subprotocol = subprotocol;
		this.timeLimitNanos = timeLimit.toNanos();
	}

	@Override
	public void sendText(String text, boolean last) throws IOException {
		awaitPrevious();
		handedOver(this.webSocket.sendText(text, last), text.length());
	}

	@Override
	public void sendBinary(ByteBuffer data, boolean last) throws IOException {
		awaitPrevious();
		handedOver(this.webSocket.sendBinary(data, last), data.remaining());
	}

	@Override
	public void sendPing(ByteBuffer payload) throws IOException {
		awaitPrevious();
		handedOver(this.webSocket.sendPing(payload), payload.remaining());
	}

	@Override
	public void sendPong(ByteBuffer payload) throws IOException {
		awaitPrevious();
		handedOver(this.webSocket.sendPong(payload), payload.remaining());
	}

	/**
	 * The JDK sends only the codes an application may send (1000 and 3000-4999): an empty
	 * close and 1001 (the application going away) are sent as 1000, and a close for an
	 * error the engine found (1009, 1011, ...) fails the write, which drops the connection
	 * as Autobahn's {@code failByDrop} would.
	 */
	@Override
	public void close(@Nullable Integer code, @Nullable String reason) throws IOException {
		int sent = (code == null || code == WebSocketProtocol.CLOSE_STATUS_CODE_GOING_AWAY)
				? WebSocketProtocol.CLOSE_STATUS_CODE_NORMAL : code;
		if (sent != WebSocketProtocol.CLOSE_STATUS_CODE_NORMAL && (sent < 3000 || sent > 4999)) {
			throw new IOException("the JDK's WebSocket client cannot send close code " + code
					+ " (only 1000 and 3000-4999), so the connection is dropped instead");
		}
		awaitPrevious();
		handedOver(this.webSocket.sendClose(sent, (reason != null) ? reason : ""), 0);
	}

	@Override
	public void abort() {
		this.webSocket.abort();
	}

	@Override
	public long unwrittenBytes() {
		return this.previous.isDone() ? 0 : this.previousBytes;
	}

	@Override
	public @Nullable String getSubprotocol() {
		return this.subprotocol;
	}

	@Override
	public List<String> getExtensions() {
		return List.of();
	}

	private void handedOver(CompletableFuture<?> send, long bytes) {
		this.previousBytes = bytes;
		this.previous = send;
	}

	private void awaitPrevious() throws IOException {
		CompletableFuture<?> previous = this.previous;
		if (previous.isDone() && !previous.isCompletedExceptionally()) {
			return;
		}
		try {
			previous.get(this.timeLimitNanos, TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw new IOException("Write failed: " + ex.getCause(), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new SocketTimeoutException("Write did not complete within the send time limit");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted while waiting for the previous write");
		}
	}

}
