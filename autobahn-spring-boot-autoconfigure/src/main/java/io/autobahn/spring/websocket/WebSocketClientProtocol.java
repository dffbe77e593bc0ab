package io.autobahn.spring.websocket;

import org.jspecify.annotations.Nullable;

/**
 * Base class of client protocols: Autobahn's {@code WebSocketClientProtocol}. Subclass
 * it, override the hooks you need, and connect with the {@link WebSocketConnector} bean;
 * the hooks and channel methods are those of the server side ({@link WebSocketProtocol}),
 * with the client's handshake hooks in front: {@code onConnecting} → {@code onConnect} →
 * {@code onOpen} → ({@code onMessage} | {@code onPing} | {@code onPong})* →
 * {@code onClose}. <pre class="code">
 * &#64;WebSocketClient
 * public class PriceFeed extends WebSocketClientProtocol {
 *     &#64;Override
 *     public void onOpen() {
 *         sendMessage("subscribe EURUSD");
 *     }
 *
 *     &#64;Override
 *     public void onMessage(byte[] payload, boolean isBinary) {
 *         ...
 *     }
 * }
 *
 * PriceFeed feed = connector.connect(URI.create("wss://prices.example.com/ws"), PriceFeed.class).join();
 * </pre> One instance serves one connection and is never reused; a reconnect gets a new
 * one.
 */
public abstract class WebSocketClientProtocol extends WebSocketProtocol {

	/**
	 * Called before the client connects, on the thread that called
	 * {@link WebSocketConnector#connect} (or the timer's, for a reconnect): change the
	 * opening handshake it will send, such as a fresh token in a header. The channel
	 * methods are not available yet.
	 * @param transportDetails where the client is about to connect
	 * @return what to change of the handshake the connect's options describe, or
	 * {@code null} to send it as they say
	 * @throws RuntimeException to give up this connect (it fails with the exception as
	 * its cause, and no connection is made)
	 */
	public @Nullable ConnectingRequest onConnecting(TransportDetails transportDetails) {
		return null;
	}

	/**
	 * Called once the server's {@code 101} has arrived and been checked (its accept key,
	 * and that it chose a subprotocol and extensions the client offered), just before
	 * {@link #onOpen()}: the connection is open, so this may send already.
	 * @param response the server's answer
	 */
	public void onConnect(ConnectionResponse response) {
	}

	/**
	 * Return the server's answer to the opening handshake.
	 * @return the response
	 * @throws IllegalStateException before {@code onConnect}
	 */
	public ConnectionResponse getResponse() {
		return ((ClientWebSocketChannel) channel()).getResponse();
	}

}
