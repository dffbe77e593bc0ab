package io.autobahn.spring.websocket.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.WebSocketProtocol;

/**
 * Runs one connection's hooks one at a time, and hands its close over to a thread that
 * may run {@code onClose}:
 * <ul>
 * <li>Every hook runs under a per-connection lock, so {@code onClose} from a timer or
 * another thread never overlaps a running {@code onMessage}. Once the close is handed
 * over, no hook but {@code onClose} starts.</li>
 * <li>A close found while a hook runs is handed to whichever thread leaves the hook: a
 * close found by the hook's own thread (a send in {@code onMessage} that overflows,
 * {@code dropConnection()}) waits until the hook returns.</li>
 * <li>With a hook executor (blocking hooks on an event-loop stack), a close found on any
 * other thread runs on that executor, never on the caller's thread.</li>
 * <li>{@code onWritable} is handed over the same way, and never blocks the thread that
 * found the send buffer drained (a transport's completion): it runs there when no hook
 * runs, after the running hook otherwise, or on the hook executor; never after the close
 * is handed over.</li>
 * </ul>
 * An exception thrown by a hook goes to the connection's {@link Callbacks#hookFailed}.
 * One per connection, thread-safe.
 * <p>
 * Over this project's usual length because the hand-overs above (the close, and
 * {@code onWritable}) share the hook lock's one state, and split over classes their
 * orderings could no longer be checked in one place.
 */
final class HookInvoker {

	private static final VarHandle PENDING_CLOSE;

	private static final VarHandle PENDING_WRITABLE;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			PENDING_CLOSE = lookup.findVarHandle(HookInvoker.class, "pendingClose", CloseEvent.class);
			PENDING_WRITABLE = lookup.findVarHandle(HookInvoker.class, "pendingWritable", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final WebSocketProtocol protocol;

	private final Callbacks callbacks;

	private final EndpointObserver observer;

	/**
	 * Whether the observer times onMessage: asked once, so that no clock is read
	 * otherwise.
	 */
	private final boolean timed;

	private final ReentrantLock lock = new ReentrantLock();

	private volatile @Nullable CloseEvent pendingClose;

	private volatile boolean pendingWritable;

	/** Set once the close is handed over: no other hook starts afterwards. */
	private volatile boolean closing;

	private volatile @Nullable Executor executor;

	HookInvoker(WebSocketProtocol protocol, Callbacks callbacks, EndpointObserver observer) {
		this.protocol = protocol;
		this.callbacks = callbacks;
		this.observer = observer;
		this.timed = observer.timesMessageHandling();
	}

	/**
	 * Set where a close found on a thread that must not run hooks runs {@code onClose}.
	 * @param executor the executor, or {@code null} for whichever thread finds the close
	 */
	void setExecutor(@Nullable Executor executor) {
		this.executor = executor;
	}

	/**
	 * Open the connection under the lock, so that a close found meanwhile runs after
	 * {@code onOpen}: the opening runs even when the close is handed over already (it
	 * decides whether {@code onOpen} runs).
	 * @param hook the hooks it runs, for the log
	 * @param opening opens the connection and calls {@code onOpen}
	 */
	void open(String hook, Runnable opening) {
		run(hook, opening, true);
	}

	/**
	 * Deliver a message to {@code onMessage}, unless the close is handed over: to
	 * {@code onMessage(byte[], boolean)} when an array is given, else to
	 * {@code onMessage(ByteBuffer, boolean)}.
	 * @param array the message in an array of its own, or {@code null}
	 * @param buffer the message in a buffer valid for the call, or {@code null}: exactly
	 * one of the two is given
	 * @param isBinary whether it is binary
	 */
	void message(byte @Nullable [] array, @Nullable ByteBuffer buffer, boolean isBinary) {
		this.lock.lock();
		try {
			if (!this.closing) {
				if (this.timed) {
					onMessageTimed(array, buffer, isBinary);
				}
				else {
					onMessage(array, buffer, isBinary);
				}
			}
		}
		catch (Throwable ex) {
			this.callbacks.hookFailed("onMessage", ex);
		}
		finally {
			this.lock.unlock();
		}
		if (this.pendingWritable) {
			runPendingWritable();
		}
		if (this.pendingClose != null) {
			runPendingClose();
		}
	}

	private void onMessageTimed(byte @Nullable [] array, @Nullable ByteBuffer buffer, boolean isBinary) {
		long start = System.nanoTime();
		try {
			onMessage(array, buffer, isBinary);
		}
		finally {
			this.observer.messageHandled(System.nanoTime() - start);
		}
	}

	private void onMessage(byte @Nullable [] array, @Nullable ByteBuffer buffer, boolean isBinary) {
		if (array != null) {
			this.protocol.onMessage(array, isBinary);
		}
		else if (buffer != null) {
			boolean[] lending = LentBuffers.lending();
			try {
				this.protocol.onMessage(buffer, isBinary);
			}
			finally {
				LentBuffers.returned(lending);
			}
		}
	}

	/**
	 * Deliver a frame of a streamed message to the streaming hooks, in one turn of the
	 * lock, unless the close is handed over: {@code onMessageBegin} for the first frame,
	 * {@code onMessageFrameBegin}, {@code onMessageFrameData} (unless the frame is
	 * empty), {@code onMessageFrameEnd}, and {@code onMessageEnd} for the last.
	 * @param first whether the frame starts the message
	 * @param isBinary whether the message is binary
	 * @param data the frame's payload, read-only, valid for the call
	 * @param last whether the frame ends the message
	 * @return whether every hook returned; {@code false} when one threw (the connection
	 * is closed with 1011) or the close is handed over
	 */
	boolean frame(boolean first, boolean isBinary, ByteBuffer data, boolean last) {
		boolean delivered = false;
		String hook = "onMessageBegin";
		this.lock.lock();
		try {
			if (!this.closing) {
				if (first) {
					this.protocol.onMessageBegin(isBinary);
				}
				hook = "onMessageFrameBegin";
				this.protocol.onMessageFrameBegin(data.remaining());
				if (data.hasRemaining()) {
					hook = "onMessageFrameData";
					boolean[] lending = LentBuffers.lending();
					try {
						this.protocol.onMessageFrameData(data);
					}
					finally {
						LentBuffers.returned(lending);
					}
				}
				hook = "onMessageFrameEnd";
				this.protocol.onMessageFrameEnd();
				if (last) {
					hook = "onMessageEnd";
					this.protocol.onMessageEnd();
				}
				delivered = true;
			}
		}
		catch (Throwable ex) {
			this.callbacks.hookFailed(hook, ex);
		}
		finally {
			this.lock.unlock();
		}
		if (this.pendingWritable) {
			runPendingWritable();
		}
		if (this.pendingClose != null) {
			runPendingClose();
		}
		return delivered;
	}

	/**
	 * Run a hook, unless the close is handed over.
	 * @param hook its name, for the log
	 * @param invocation calls it
	 */
	void invoke(String hook, Runnable invocation) {
		run(hook, invocation, false);
	}

	private void run(String hook, Runnable invocation, boolean evenIfClosing) {
		this.lock.lock();
		try {
			if (evenIfClosing || !this.closing) {
				invocation.run();
			}
		}
		catch (Throwable ex) {
			this.callbacks.hookFailed(hook, ex);
		}
		finally {
			this.lock.unlock();
		}
		if (this.pendingWritable) {
			runPendingWritable();
		}
		runPendingClose();
	}

	/**
	 * Hand {@code onWritable} over: it runs now on this thread when no hook runs, after
	 * the running hook otherwise, or on the hook executor. Never blocks.
	 */
	void writable() {
		this.pendingWritable = true;
		Executor executor = this.executor;
		if (executor != null && !this.lock.isHeldByCurrentThread()) {
			try {
				executor.execute(this::runPendingWritable);
				return;
			}
			catch (RejectedExecutionException ex) {
				// Shutting down: the connection is about to close.
				return;
			}
		}
		runPendingWritable();
	}

	private void runPendingWritable() {
		// Again when another writable() came while this thread held the lock.
		while (this.pendingWritable && !this.lock.isHeldByCurrentThread() && this.lock.tryLock()) {
			try {
				if ((boolean) PENDING_WRITABLE.getAndSet(this, false) && !this.closing) {
					this.protocol.onWritable();
				}
			}
			catch (Throwable ex) {
				this.callbacks.hookFailed("onWritable", ex);
			}
			finally {
				this.lock.unlock();
			}
		}
		runPendingClose();
	}

	/**
	 * Hand the close over: it runs now on this thread when no hook runs, after the
	 * running hook otherwise, or on the hook executor. Called once.
	 * @param close the close to report
	 */
	void close(CloseEvent close) {
		this.closing = true;
		this.pendingClose = close;
		Executor executor = this.executor;
		if (executor != null && !this.lock.isHeldByCurrentThread()) {
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

	private void runPendingClose() {
		// A thread inside a hook runs the close when it leaves the hook.
		if (this.pendingClose == null || this.lock.isHeldByCurrentThread() || !this.lock.tryLock()) {
			return;
		}
		try {
			CloseEvent close = (CloseEvent) PENDING_CLOSE.getAndSet(this, null);
			if (close != null) {
				this.callbacks.closed(close);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * How a connection was closed, as {@code onClose} reports it.
	 *
	 * @param wasClean whether the peer's close frame arrived
	 * @param code the close code, or {@code null}
	 * @param reason the close reason, or {@code null}
	 */
	record CloseEvent(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
	}

	/**
	 * What the connection does for its invoker.
	 */
	interface Callbacks {

		/**
		 * A hook threw.
		 * @param hook the hook's name
		 * @param failure what it threw
		 */
		void hookFailed(String hook, Throwable failure);

		/**
		 * Report the close, under the hook lock: {@code onClose} if the connection
		 * opened, then the clean-up.
		 * @param close the close
		 */
		void closed(CloseEvent close);

	}

}
