package io.autobahn.spring.websocket.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;

import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.handshake.ConnectionRequests;
import io.autobahn.spring.websocket.handshake.UpgradeRequest;

/**
 * The opening handshake a client sent, as the handshake code reads a request, so that a
 * client's connection has its {@link ConnectionRequest} made by the same
 * {@link ConnectionRequests} as a server's: the headers as sent (the transport adds the
 * key), the offered subprotocols and extensions, and the server as the peer.
 */
final class ClientUpgradeRequest implements UpgradeRequest {

	private final ClientHandshake handshake;

	private final InetSocketAddress server;

	private final HttpHeaders headers;

	private ClientUpgradeRequest(ClientHandshake handshake, InetSocketAddress server) {
		this.handshake = handshake;
		this.server = server;
		HttpHeaders headers = HttpHeaders.copyOf(handshake.headers());
		headers.set(HttpHeaders.HOST, handshake.uri().getRawAuthority());
		headers.set(HttpHeaders.UPGRADE, "websocket");
		headers.set(HttpHeaders.CONNECTION, "Upgrade");
		headers.set("Sec-WebSocket-Version", "13");
		if (!handshake.subprotocols().isEmpty()) {
			headers.set("Sec-WebSocket-Protocol", String.join(", ", handshake.subprotocols()));
		}
		if (handshake.settings().perMessageCompression()) {
			headers.set("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits");
		}
		this.headers = headers;
	}

	/**
	 * Return the connection request of a client's handshake.
	 * @param handshake what the client sent
	 * @param server the server's address
	 * @return the request, whose peer is the server
	 */
	static ConnectionRequest of(ClientHandshake handshake, InetSocketAddress server) {
		return ConnectionRequests.from(new ClientUpgradeRequest(handshake, server), null);
	}

	@Override
	public String method() {
		return "GET";
	}

	@Override
	public String protocol() {
		return "HTTP/1.1";
	}

	@Override
	public String target() {
		URI uri = this.handshake.uri();
		return rawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
	}

	@Override
	public String pathWithinApplication() {
		return rawPath();
	}

	@Override
	public String rawPath() {
		String path = this.handshake.uri().getRawPath();
		return (path == null || path.isEmpty()) ? "/" : path;
	}

	@Override
	public URI uri() {
		return this.handshake.uri();
	}

	@Override
	public HttpHeaders headers() {
		return this.headers;
	}

	@Override
	public InetSocketAddress remoteAddress() {
		return this.server;
	}

	@Override
	public MultiValueMap<String, String> queryParams() {
		return UriComponentsBuilder.fromUri(this.handshake.uri()).build(true).getQueryParams();
	}

	@Override
	public List<HttpCookie> cookies() {
		return List.of();
	}

}
