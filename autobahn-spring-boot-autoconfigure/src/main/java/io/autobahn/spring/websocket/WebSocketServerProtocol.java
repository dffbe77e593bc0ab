package io.autobahn.spring.websocket;

import org.jspecify.annotations.Nullable;

/**
 * Base class of server protocols: Autobahn's {@code WebSocketServerProtocol}. Subclass
 * it, annotate the subclass with {@link WebSocketEndpoint @WebSocketEndpoint}, and
 * override the hooks you need. <pre class="code">
 * &#64;WebSocketEndpoint("/echo")
 * public class EchoServerProtocol extends WebSocketServerProtocol {
 *     &#64;Override
 *     public void onMessage(byte[] payload, boolean isBinary) {
 *         sendMessage(payload, isBinary);
 *     }
 * }
 * </pre>
 */
public abstract class WebSocketServerProtocol extends WebSocketProtocol {

	/**
	 * Called during the HTTP upgrade, before the {@code 101} response. Inspect the
	 * request, pick a subprotocol, add response headers, or refuse.
	 * @param request the client's opening handshake
	 * @return {@code null} to accept (choosing the first offered subprotocol among the
	 * endpoint's configured {@code subprotocols}, if any), or a {@link ConnectionAccept}
	 * @throws ConnectionDeny to refuse with an HTTP status; any other exception answers
	 * 500
	 */
	public @Nullable ConnectionAccept onConnect(ConnectionRequest request) {
		return null;
	}

	/**
	 * Return the client's opening handshake.
	 * @return the request
	 */
	public ConnectionRequest getRequest() {
		return getConnection().getRequest();
	}

	/**
	 * Return the open connections of this instance's endpoint, such as for a broadcast
	 * (Autobahn's factory).
	 * @return a live view of the endpoint's connections
	 */
	public WebSocketConnections getConnections() {
		return ((ServerWebSocketChannel) channel()).getConnections();
	}

}
