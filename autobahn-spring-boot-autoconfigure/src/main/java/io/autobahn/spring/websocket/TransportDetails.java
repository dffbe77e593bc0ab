package io.autobahn.spring.websocket;

import java.net.URI;

/**
 * What a client knows of its transport when {@link WebSocketClientProtocol#onConnecting
 * onConnecting} runs: Autobahn's {@code TransportDetails}, as far as it is known before
 * the TCP connection (the starter calls {@code onConnecting} before it connects, since
 * the JDK's client has no step between the TCP connection and the opening handshake; the
 * server's address is in {@link ConnectionResponse#peer()} afterwards). Immutable.
 *
 * @param uri the URI being connected to
 * @param host the host to connect to
 * @param port the port to connect to (80 or 443 where the URI names none)
 * @param isSecure whether the connection uses TLS ({@code wss})
 * @param isServer whether this end is the server: always {@code false} here
 * @param transport the client transport that connects, {@code reactor-netty} or
 * {@code jdk}
 */
public record TransportDetails(URI uri, String host, int port, boolean isSecure, boolean isServer, String transport) {

}
