package io.autobahn.spring.websocket.servlet;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import org.apache.tomcat.websocket.WsSession;

/**
 * Tomcat-specific operations, loaded only when Tomcat's WebSocket classes are present.
 */
final class TomcatSessions {

	private TomcatSessions() {
	}

	/**
	 * Close the socket at once, without waiting for the peer's close frame.
	 * @param session the session
	 * @return whether the session was Tomcat's
	 */
	static boolean abort(Session session) {
		if (session instanceof WsSession wsSession) {
			wsSession.doClose(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "connection dropped"),
					new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "connection dropped"), true);
			return true;
		}
		return false;
	}

}
