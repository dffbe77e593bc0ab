package io.autobahn.spring.bench.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.autobahn.spring.websocket.WebSocketClientProtocol;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * One load generator connection: a plain {@link WebSocketClientProtocol}, as an application
 * would write it. Keeps {@code window} messages in flight: {@link #start()} sends the first,
 * and every echo, once checked, is answered with the next, from {@code onMessage}. Its counters
 * and histogram are touched in its hooks only (which the engine serializes); the main thread
 * reads them after {@code onClose} ({@link #closed}), and reads the sequence numbers while it
 * runs (release stores, acquire loads).
 */
final class EchoClient extends WebSocketClientProtocol {

	static final int PREFIX = 16;

	static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private static final VarHandle NEXT_SEQ;

	private static final VarHandle EXPECT_SEQ;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			NEXT_SEQ = lookup.findVarHandle(EchoClient.class, "nextSeq", long.class);
			EXPECT_SEQ = lookup.findVarHandle(EchoClient.class, "expectSeq", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	final ClientLoadGen.Run run;

	final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);

	final CountDownLatch closed = new CountDownLatch(1);

	final long[] sentAt;

	final byte[] expectPrefix = new byte[PREFIX];

	volatile boolean closing;

	long nextSeq;

	long expectSeq;

	long msgs;

	long bytes;

	long mismatches;

	long unexpectedCloses;

	long errors;

	@Nullable String firstError;

	EchoClient(ClientLoadGen.Run run) {
		this.run = run;
		this.sentAt = new long[Math.max(1, run.window)];
	}

	long inFlight() {
		return (long) NEXT_SEQ.getAcquire(this) - (long) EXPECT_SEQ.getAcquire(this);
	}

	/**
	 * Send the first message, from the main thread: the connection's hooks send the others (the
	 * rest of the window with the first echo), so that its sequence numbers stay in order.
	 */
	void start() {
		NEXT_SEQ.setRelease(this, 1L);
		send(0);
	}

	private void send(long seq) {
		int size = this.run.size;
		byte[] payload = new byte[size];
		for (int i = PREFIX - 1; i >= 0; i--) {
			payload[PREFIX - 1 - i] = HEX[(int) (seq >>> (4 * i)) & 0xf];
		}
		System.arraycopy(this.run.template, PREFIX, payload, PREFIX, size - PREFIX);
		this.sentAt[(int) (seq % this.sentAt.length)] = System.nanoTime();
		sendMessage(payload, this.run.binary);
	}

	@Override
	public void onMessage(byte[] payload, boolean isBinary) {
		long now = System.nanoTime();
		long seq = this.expectSeq;
		if (seq >= this.nextSeq) {
			mismatch("unsolicited message");
			return;
		}
		ClientLoadGen.Run run = this.run;
		int size = run.size;
		for (int i = PREFIX - 1; i >= 0; i--) {
			this.expectPrefix[PREFIX - 1 - i] = HEX[(int) (seq >>> (4 * i)) & 0xf];
		}
		boolean ok = isBinary == run.binary && payload.length == size
				&& Arrays.equals(payload, 0, PREFIX, this.expectPrefix, 0, PREFIX)
				&& Arrays.equals(payload, PREFIX, size, run.template, PREFIX, size);
		if (!ok) {
			mismatch("echo " + seq + " differs (type ok " + (isBinary == run.binary) + ", " + payload.length + " bytes)");
		}
		if (run.measuring) {
			this.histogram.recordValue(Math.max(0, now - this.sentAt[(int) (seq % this.sentAt.length)]));
			this.msgs++;
			this.bytes += size;
		}
		EXPECT_SEQ.setRelease(this, seq + 1);
		if (!this.closing) {
			try {
				while (run.sending && this.nextSeq - (seq + 1) < run.window) {
					long next = this.nextSeq;
					NEXT_SEQ.setRelease(this, next + 1);
					send(next);
				}
			}
			catch (RuntimeException ex) {
				// Disconnected: the connection failed under the send; onClose reports it
				error(ex);
			}
		}
	}

	@Override
	public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
		if (!this.closing) {
			this.unexpectedCloses++;
			if (this.firstError == null) {
				this.firstError = "closed unexpectedly: clean " + wasClean + ", code " + code + ", reason " + reason;
			}
		}
		this.closed.countDown();
	}

	private void error(Throwable ex) {
		this.errors++;
		if (this.firstError == null) {
			this.firstError = String.valueOf(ex);
		}
	}

	private void mismatch(String what) {
		this.mismatches++;
		if (this.firstError == null) {
			this.firstError = what;
		}
	}

}
