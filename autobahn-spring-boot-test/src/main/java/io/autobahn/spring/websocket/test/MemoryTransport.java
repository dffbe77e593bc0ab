package io.autobahn.spring.websocket.test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.core.Transport;

/**
 * The {@link Transport} of a {@link ProtocolTester}: a memory transport, as Autobahn's
 * own tests use, that records what the engine writes instead of writing it (messages
 * joined from their frames, pings, pongs, the close frame) and whether it dropped the
 * connection. Every write completes at once, before it returns. Thread-safe: the engine
 * writes from whichever thread sends, the test reads from its own.
 */
final class MemoryTransport implements Transport {

	private final @Nullable String subprotocol;

	private final List<Message> messages = new ArrayList<>();

	private final List<byte[]> pings = new ArrayList<>();

	private final List<byte[]> pongs = new ArrayList<>();

	private final ByteArrayOutputStream fragments = new ByteArrayOutputStream();

	private int frames;

	private @Nullable Close close;

	private boolean aborted;

	MemoryTransport(@Nullable String subprotocol) {
		this.subprotocol = subprotocol;
	}

	@Override
	public synchronized void sendText(ByteBuffer utf8, boolean last, Completion completion) {
		frame(utf8, false, last, completion);
	}

	@Override
	public synchronized void sendBinary(ByteBuffer data, boolean last, Completion completion) {
		frame(data, true, last, completion);
	}

	private void frame(ByteBuffer data, boolean binary, boolean last, Completion completion) {
		this.frames++;
		int length = data.remaining();
		byte[] bytes = new byte[length];
		data.get(bytes);
		this.fragments.writeBytes(bytes);
		if (last) {
			this.messages.add(Message.of(this.fragments.toByteArray(), binary));
			this.fragments.reset();
		}
		notifyAll();
		completion.written(length);
	}

	@Override
	public synchronized void sendPing(ByteBuffer payload, Completion completion) {
		int length = payload.remaining();
		this.pings.add(toArray(payload));
		completion.written(length);
	}

	@Override
	public synchronized void sendPong(ByteBuffer payload, Completion completion) {
		int length = payload.remaining();
		this.pongs.add(toArray(payload));
		completion.written(length);
	}

	@Override
	public synchronized void close(@Nullable Integer code, @Nullable String reason, Completion completion) {
		this.close = (code != null) ? Close.frame(code, reason) : Close.emptyFrame();
		notifyAll();
		completion.written(0);
	}

	@Override
	public synchronized void abort() {
		this.aborted = true;
		notifyAll();
	}

	@Override
	public @Nullable String getSubprotocol() {
		return this.subprotocol;
	}

	@Override
	public List<String> getExtensions() {
		return List.of();
	}

	synchronized List<Message> messages() {
		return List.copyOf(this.messages);
	}

	/**
	 * Wait until the engine has sent at least the given number of messages.
	 * @return whether it did before the deadline
	 */
	synchronized boolean awaitMessages(int count, long deadlineNanos) throws InterruptedException {
		while (this.messages.size() < count) {
			long left = deadlineNanos - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			wait(Math.max(1, left / 1_000_000));
		}
		return true;
	}

	synchronized int frames() {
		return this.frames;
	}

	synchronized List<byte[]> pings() {
		return this.pings.stream().map(byte[]::clone).toList();
	}

	synchronized List<byte[]> pongs() {
		return this.pongs.stream().map(byte[]::clone).toList();
	}

	synchronized @Nullable Close closeSent() {
		return this.close;
	}

	synchronized boolean isAborted() {
		return this.aborted;
	}

	private static byte[] toArray(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

}
