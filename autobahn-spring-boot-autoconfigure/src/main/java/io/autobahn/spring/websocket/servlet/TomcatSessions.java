package io.autobahn.spring.websocket.servlet;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.apache.tomcat.websocket.WsRemoteEndpointImplBase;
import org.apache.tomcat.websocket.WsSession;
import org.apache.tomcat.websocket.server.WsRemoteEndpointImplServer;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat-specific operations, loaded only when Tomcat's WebSocket classes are present.
 * <p>
 * Tomcat's API cannot drop a connection without a close frame: {@code WsSession.doClose}
 * always writes one first. To drop it as Autobahn does, the socket is closed through
 * Tomcat's socket wrapper, which two private fields lead to
 * ({@code WsSession.wsRemoteEndpoint} and
 * {@code WsRemoteEndpointImplServer.socketWrapper}), read by reflection once. Where they
 * cannot be read (another Tomcat version), the connection is closed as before: a
 * {@code 1001} close frame, then the socket; a DEBUG line says so at startup.
 * <p>
 * Tomcat's public asynchronous API sends whole messages only, and pings, pongs and
 * message fragments only blocking. Its remote endpoint writes any frame asynchronously,
 * with a {@link SendHandler}, through one package-private method,
 * {@code WsRemoteEndpointImplBase.startMessage(byte, ByteBuffer, boolean, SendHandler)}
 * (the one its {@code sendBinary(ByteBuffer, SendHandler)} calls), which
 * {@link AsyncFrames} calls through a method handle: every frame then goes out without
 * blocking the sender, and text goes as its UTF-8 bytes rather than through a string.
 * Where it cannot be reached, writes block as they did before.
 * <p>
 * Tomcat hands the result of every asynchronous write to its executor, a thread hand-off
 * per frame that costs more than the write itself for small messages, and most when one
 * message goes to many connections. A frame that is a whole message (or a control frame)
 * is therefore written {@linkplain AsyncFrames#writeWholeFrame straight to the socket},
 * unmasked, when Tomcat is writing nothing on the connection and it negotiated no
 * extension: Tomcat's remote endpoint is held as for a frame of its own (its
 * {@code messagePartInProgress}, and its {@code closed} flag checked) and let go through
 * its own {@code endMessage} once the socket took the frame, so that Tomcat's pongs and
 * close frame wait for it as they wait for one of Tomcat's frames. The frames of a
 * fragmented message, and every frame where those internals cannot be reached, go through
 * {@code startMessage}.
 */
final class TomcatSessions {

	private static final Log logger = LogFactory.getLog(TomcatSessions.class);

	private static final CloseReason DROPPED = new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY,
			"connection dropped");

	private static final @Nullable Field REMOTE_ENDPOINT = field(WsSession.class, "wsRemoteEndpoint");

	private static final @Nullable Field SOCKET_WRAPPER = field(WsRemoteEndpointImplServer.class, "socketWrapper");

	private static final @Nullable MethodHandle START_MESSAGE = remoteMethod("startMessage", byte.class,
			ByteBuffer.class, boolean.class, SendHandler.class);

	private static final @Nullable MethodHandle END_MESSAGE = remoteMethod("endMessage", SendHandler.class,
			SendResult.class);

	private static final @Nullable Field PART_IN_PROGRESS = remoteField("messagePartInProgress");

	private static final @Nullable Field CLOSED = remoteField("closed");

	private TomcatSessions() {
	}

	/**
	 * Drop the connection at once, without a close frame where Tomcat's internals allow
	 * it, and let Tomcat's session end (it reports the close as {@code 1006} and releases
	 * the session).
	 * @param session the session
	 * @return whether the session was Tomcat's
	 */
	static boolean abort(Session session) {
		if (!(session instanceof WsSession wsSession)) {
			return false;
		}
		if (closeSocket(wsSession)) {
			// An open session: Tomcat's close frame fails on the closed socket, and it
			// reports 1006 and releases the session.
			wsSession.doClose(DROPPED, DROPPED, true);
			// A session whose close frame was sent: release it now rather than after
			// Tomcat's own close timeout (30 s); what a received close frame would do.
			wsSession.onClose(DROPPED);
		}
		else {
			wsSession.doClose(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "connection dropped"), DROPPED, true);
		}
		return true;
	}

	/**
	 * Return whether Tomcat's session is closed, which after a server-initiated close
	 * means the peer's close frame arrived (or the socket was closed).
	 * @param session the session
	 * @return whether it is closed
	 */
	static boolean isClosed(Session session) {
		return session instanceof WsSession wsSession && wsSession.isClosed();
	}

	/**
	 * Return whether the session is Tomcat's.
	 * @param session the session
	 * @return whether it is a {@link WsSession}
	 */
	static boolean isTomcatSession(Session session) {
		return session instanceof WsSession;
	}

	/**
	 * Return the asynchronous frame writes of a Tomcat session.
	 * @param session the session
	 * @return its frame writes, or {@code null} where Tomcat's internals cannot be
	 * reached
	 */
	static @Nullable AsyncFrames asyncFrames(Session session) {
		if (START_MESSAGE == null || REMOTE_ENDPOINT == null || SOCKET_WRAPPER == null
				|| !(session instanceof WsSession wsSession)) {
			return null;
		}
		try {
			if (REMOTE_ENDPOINT.get(wsSession) instanceof WsRemoteEndpointImplServer remote
					&& SOCKET_WRAPPER.get(remote) instanceof SocketWrapperBase<?> socket) {
				return new AsyncFrames(START_MESSAGE, remote, socket, wholeFrames(wsSession, remote, socket));
			}
		}
		catch (IllegalAccessException | RuntimeException ex) {
			logger.debug("Could not reach the remote endpoint of a Tomcat WebSocket session", ex);
		}
		return null;
	}

	private static @Nullable WholeFrames wholeFrames(WsSession session, WsRemoteEndpointImplBase remote,
			SocketWrapperBase<?> socket) throws IllegalAccessException {
		if (END_MESSAGE == null || PART_IN_PROGRESS == null || CLOSED == null || !socket.hasAsyncIO()
				|| !session.getNegotiatedExtensions().isEmpty()
				|| !(PART_IN_PROGRESS.get(remote) instanceof Semaphore inProgress)) {
			return null;
		}
		return new WholeFrames(END_MESSAGE, inProgress, CLOSED, session);
	}

	private static boolean closeSocket(WsSession session) {
		if (REMOTE_ENDPOINT == null || SOCKET_WRAPPER == null) {
			return false;
		}
		try {
			if (REMOTE_ENDPOINT.get(session) instanceof WsRemoteEndpointImplServer remote
					&& SOCKET_WRAPPER.get(remote) instanceof SocketWrapperBase<?> socket) {
				socket.close();
				return true;
			}
		}
		catch (IllegalAccessException | RuntimeException ex) {
			logger.debug("Could not close the socket of a Tomcat WebSocket session", ex);
		}
		return false;
	}

	private static @Nullable MethodHandle remoteMethod(String name, Class<?>... parameterTypes) {
		try {
			Method method = WsRemoteEndpointImplBase.class.getDeclaredMethod(name, parameterTypes);
			method.setAccessible(true);
			return MethodHandles.lookup().unreflect(method);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			String consequence = name.equals("startMessage")
					? "WebSocket writes on Tomcat block their thread (for at most send-time-limit)"
					: "every frame goes through Tomcat's own asynchronous writes";
			logger.debug("Tomcat's WsRemoteEndpointImplBase." + name + " is not accessible: " + consequence, ex);
			return null;
		}
	}

	private static @Nullable Field remoteField(String name) {
		try {
			Field field = WsRemoteEndpointImplBase.class.getDeclaredField(name);
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("Tomcat's WsRemoteEndpointImplBase." + name + " is not accessible: every frame goes "
					+ "through Tomcat's own asynchronous writes", ex);
			return null;
		}
	}

	private static @Nullable Field field(Class<?> type, String name) {
		try {
			Field field = type.getDeclaredField(name);
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("Tomcat's " + type.getSimpleName() + "." + name + " is not accessible: a dropped WebSocket "
					+ "connection gets a 1001 close frame before its socket is closed", ex);
			return null;
		}
	}

	/**
	 * Writes one session's frames through Tomcat's asynchronous path, and runs what must
	 * not run on the sender's thread on Tomcat's executor.
	 */
	static final class AsyncFrames {

		private final MethodHandle startMessage;

		private final WsRemoteEndpointImplBase remote;

		private final SocketWrapperBase<?> socket;

		private final @Nullable WholeFrames wholeFrames;

		AsyncFrames(MethodHandle startMessage, WsRemoteEndpointImplBase remote, SocketWrapperBase<?> socket,
				@Nullable WholeFrames wholeFrames) {
			this.startMessage = startMessage;
			this.remote = remote;
			this.socket = socket;
			this.wholeFrames = wholeFrames;
		}

		/**
		 * Hold Tomcat's remote endpoint for a {@linkplain #writeWholeFrame whole frame}
		 * when Tomcat is writing nothing and its endpoint is open.
		 * @return whether it is held: then {@link #writeWholeFrame} must follow
		 */
		boolean holdForWholeFrame() {
			WholeFrames wholeFrames = this.wholeFrames;
			return wholeFrames != null && wholeFrames.hold(this.remote);
		}

		/**
		 * Write a whole unmasked frame, header and payload, straight to the socket, after
		 * {@link #holdForWholeFrame()}: the handler hears once the socket took all of it,
		 * or failed, on the thread that completed the write (this one, before this
		 * returns, when the socket took it at once), after Tomcat's endpoint is let go.
		 * @param handler told the result
		 * @param frame the frame, in one buffer or more (header, then payload)
		 */
		void writeWholeFrame(SendHandler handler, ByteBuffer... frame) {
			WholeFrames wholeFrames = this.wholeFrames;
			if (wholeFrames == null) {
				throw new IllegalStateException("Whole frames are not written on this connection");
			}
			wholeFrames.write(this.remote, this.socket, handler, frame);
		}

		/**
		 * Start writing a frame; the handler hears when it is written (possibly before
		 * this returns, always on another thread once the socket did not take it at
		 * once).
		 * @param opcode the RFC 6455 opcode (a data frame's also for its continuations)
		 * @param payload the payload
		 * @param last whether the frame ends its message
		 * @param handler told the result
		 * @throws Throwable what the call threw: the frame was not taken
		 */
		void start(byte opcode, ByteBuffer payload, boolean last, SendHandler handler) throws Throwable {
			this.startMessage.invokeExact(this.remote, opcode, payload, last, handler);
		}

		/**
		 * Run a task on Tomcat's executor, or here when it refuses (shutting down).
		 * @param task the task
		 */
		void execute(Runnable task) {
			try {
				this.socket.execute(task);
			}
			catch (RejectedExecutionException ex) {
				task.run();
			}
		}

	}

	/**
	 * Writes whole frames straight to a connection's socket while holding Tomcat's remote
	 * endpoint as one of its own frames does. Stateless beyond the connection's handles;
	 * thread-safe as Tomcat's endpoint is.
	 */
	private static final class WholeFrames {

		private final MethodHandle endMessage;

		private final Semaphore inProgress;

		private final Field closed;

		private final Session session;

		WholeFrames(MethodHandle endMessage, Semaphore inProgress, Field closed, Session session) {
			this.endMessage = endMessage;
			this.inProgress = inProgress;
			this.closed = closed;
			this.session = session;
		}

		boolean hold(WsRemoteEndpointImplBase remote) {
			if (!this.inProgress.tryAcquire()) {
				return false;
			}
			try {
				if (!this.closed.getBoolean(remote)) {
					return true;
				}
			}
			catch (IllegalAccessException | RuntimeException ex) {
				// Treated as closed: Tomcat's own path reports it.
			}
			this.inProgress.release();
			return false;
		}

		void write(WsRemoteEndpointImplBase remote, SocketWrapperBase<?> socket, SendHandler handler,
				ByteBuffer... frame) {
			CompletionHandler<Long, Void> written = new CompletionHandler<>() {

				@Override
				public void completed(Long result, Void attachment) {
					end(remote, handler, new SendResult(WholeFrames.this.session));
				}

				@Override
				public void failed(Throwable failure, Void attachment) {
					end(remote, handler, new SendResult(WholeFrames.this.session, failure));
				}

			};
			try {
				// As Tomcat writes its own frames asynchronously; its send timeout is
				// not used (send-time-limit is the starter's).
				socket.write(SocketWrapperBase.BlockingMode.SEMI_BLOCK, -1, TimeUnit.MILLISECONDS, null,
						SocketWrapperBase.COMPLETE_WRITE_WITH_COMPLETION, written, frame);
			}
			catch (RuntimeException ex) {
				written.failed(ex, null);
			}
		}

		/**
		 * Let Tomcat's endpoint go as its own frames do (a frame Tomcat queued meanwhile
		 * goes next), then tell the handler.
		 */
		private void end(WsRemoteEndpointImplBase remote, SendHandler handler, SendResult result) {
			try {
				this.endMessage.invokeExact(remote, handler, result);
			}
			catch (Throwable ex) {
				// Not let go twice: a handler told already ignores this.
				handler.onResult(new SendResult(this.session, ex));
			}
		}

	}

}
