package io.autobahn.spring.websocket.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.http.HttpHeaders;

import io.autobahn.spring.websocket.core.EndpointSettings;

/**
 * One connect as a {@link ClientTransport} sees it: where to, the opening handshake to
 * send (the options with what {@code onConnecting} changed), and the limits of the
 * connection. Immutable.
 *
 * @param uri the {@code ws} or {@code wss} URI
 * @param headers the headers to send besides the WebSocket ones, {@code Origin} included
 * @param subprotocols the subprotocols to offer, in order of preference
 * @param settings the connection's options: {@code perMessageCompression} says whether to
 * offer permessage-deflate, the size limits bound the frame decoder and the inflater
 * @param sslBundle the trust (and key) material for {@code wss}, or {@code null} for the
 * JVM's default trust
 * @param proxy the HTTP proxy to connect through, or {@code null}
 */
public record ClientHandshake(URI uri, HttpHeaders headers, List<String> subprotocols, EndpointSettings settings,
		@Nullable SslBundle sslBundle, @Nullable InetSocketAddress proxy) {

	/**
	 * Return whether the connection uses TLS.
	 * @return whether the URI is {@code wss}
	 */
	public boolean isSecure() {
		return "wss".equalsIgnoreCase(this.uri.getScheme());
	}

	/**
	 * Return the port to connect to.
	 * @return the URI's port, or 443 for {@code wss} and 80 for {@code ws}
	 */
	public int port() {
		return port(this.uri);
	}

	/**
	 * Return the port of a {@code ws} or {@code wss} URI.
	 * @param uri the URI
	 * @return its port, or the scheme's default
	 */
	public static int port(URI uri) {
		return (uri.getPort() != -1) ? uri.getPort() : "wss".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

}
