package io.autobahn.spring.websocket.servlet;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
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
 */
final class TomcatSessions {

	private static final Log logger = LogFactory.getLog(TomcatSessions.class);

	private static final CloseReason DROPPED = new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY,
			"connection dropped");

	private static final @Nullable Field REMOTE_ENDPOINT = field(WsSession.class, "wsRemoteEndpoint");

	private static final @Nullable Field SOCKET_WRAPPER = field(WsRemoteEndpointImplServer.class, "socketWrapper");

	private static final @Nullable MethodHandle START_MESSAGE = startMessage();

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
				return new AsyncFrames(START_MESSAGE, remote, socket);
			}
		}
		catch (IllegalAccessException | RuntimeException ex) {
			logger.debug("Could not reach the remote endpoint of a Tomcat WebSocket session", ex);
		}
		return null;
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

	private static @Nullable MethodHandle startMessage() {
		try {
			Method method = WsRemoteEndpointImplBase.class.getDeclaredMethod("startMessage", byte.class,
					ByteBuffer.class, boolean.class, SendHandler.class);
			method.setAccessible(true);
			return MethodHandles.lookup().unreflect(method);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("Tomcat's WsRemoteEndpointImplBase.startMessage is not accessible: WebSocket writes on "
					+ "Tomcat block their thread (for at most send-time-limit)", ex);
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

		AsyncFrames(MethodHandle startMessage, WsRemoteEndpointImplBase remote, SocketWrapperBase<?> socket) {
			this.startMessage = startMessage;
			this.remote = remote;
			this.socket = socket;
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

}
