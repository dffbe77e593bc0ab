package io.autobahn.spring.websocket.client;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.http.HttpHeaders;

import io.autobahn.spring.websocket.ConnectionResponse;
import io.autobahn.spring.websocket.WebSocketConnectException;
import io.autobahn.spring.websocket.WebSocketProtocol;
import io.autobahn.spring.websocket.core.StackConnection;
import io.autobahn.spring.websocket.handshake.Peers;

/**
 * A {@link ClientTransport} on the JDK's {@code java.net.http.WebSocket}: no dependency,
 * used where Reactor Netty is not on the class path. The JDK checks the {@code 101} and
 * frames the messages; what it cannot do:
 * <ul>
 * <li>no permessage-deflate (the JDK offers no extension): the offer is never made;</li>
 * <li>pings are answered by the JDK itself, so {@code onPing} is not called (as on Tomcat
 * and Jetty);</li>
 * <li>the {@code 101}'s headers are not handed over ({@link ConnectionResponse#headers()}
 * has only the subprotocol), nor the body of a refused handshake;</li>
 * <li>it sends only the close codes an application may send: no empty close frame and no
 * 1001 (1000 instead), and no code for an error the engine found (1009, 1011, ...): the
 * connection is dropped instead, as Autobahn's {@code failByDrop} does.</li>
 * </ul>
 * One {@link HttpClient} per SSL bundle and proxy serves every connection (the JDK's
 * client runs a selector thread of its own), kept for the connector's life.
 */
public final class JdkClientTransport implements ClientTransport {

	/** The transport's name. */
	public static final String NAME = "jdk";

	private final Map<ClientKey, HttpClient> clients = new ConcurrentHashMap<>();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public Connecting connect(ClientHandshake handshake, Callbacks callbacks) {
		URI uri = handshake.uri();
		WebSocket.Builder builder = client(handshake).newWebSocketBuilder();
		List<String> subprotocols = handshake.subprotocols();
		if (!subprotocols.isEmpty()) {
			builder.subprotocols(subprotocols.get(0),
					subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
		}
		Duration timeout = handshake.settings().openHandshakeTimeout();
		if (!timeout.isZero() && !timeout.isNegative()) {
			builder.connectTimeout(timeout);
		}
		Listener listener = new Listener(handshake, callbacks);
		CompletableFuture<WebSocket> webSocket;
		try {
			handshake.headers().forEach((name, values) -> values.forEach((value) -> builder.header(name, value)));
			webSocket = builder.buildAsync(uri, listener);
		}
		catch (IllegalArgumentException ex) {
			// A header the JDK reserves for itself.
			callbacks.failed(ConnectFailures.invalidRequest(uri, ex));
			return () -> {
			};
		}
		webSocket.whenComplete((ws, failure) -> {
			if (failure != null) {
				callbacks.failed(failure(uri, failure));
			}
		});
		return () -> {
			listener.cancelled = true;
			webSocket.thenAccept(WebSocket::abort);
		};
	}

	private HttpClient client(ClientHandshake handshake) {
		return this.clients.computeIfAbsent(new ClientKey(handshake.sslBundle(), handshake.proxy()), (key) -> {
			HttpClient.Builder builder = HttpClient.newBuilder();
			SslBundle bundle = key.sslBundle();
			if (bundle != null) {
				builder.sslContext(bundle.createSslContext());
			}
			InetSocketAddress proxy = key.proxy();
			if (proxy != null) {
				builder.proxy(ProxySelector.of(proxy));
			}
			return builder.build();
		});
	}

	private static WebSocketConnectException failure(URI uri, Throwable failure) {
		WebSocketHandshakeException refused = ConnectFailures.find(failure, WebSocketHandshakeException.class);
		if (refused != null) {
			HttpResponse<?> response = refused.getResponse();
			HttpHeaders headers = new HttpHeaders();
			response.headers().map().forEach(headers::addAll);
			if (response.statusCode() == 101) {
				return ConnectFailures.invalidResponse(uri, String.valueOf(refused.getMessage()), refused);
			}
			return ConnectFailures.refused(uri, response.statusCode(), headers, body(response.body()), refused);
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			// The JDK's check of the 101 (accept key, subprotocol) fails with an internal
			// type.
			if (cause.getClass().getName().endsWith("CheckFailedException")) {
				return ConnectFailures.invalidResponse(uri, String.valueOf(cause.getMessage()), failure);
			}
		}
		return ConnectFailures.of(uri, failure);
	}

	private static @Nullable String body(@Nullable Object body) {
		if (body instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return (body instanceof String text) ? text : null;
	}

	private record ClientKey(@Nullable SslBundle sslBundle, @Nullable InetSocketAddress proxy) {

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof ClientKey key && key.sslBundle == this.sslBundle
					&& Objects.equals(key.proxy, this.proxy);
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this.sslBundle) * 31 + Objects.hashCode(this.proxy);
		}

	}

	/**
	 * The JDK's listener of one connection: the engine's connection once the JDK reports
	 * it open, each message part handed over as it comes (the JDK calls it one at a
	 * time), one more requested after each.
	 */
	private static final class Listener implements WebSocket.Listener {

		private final ClientHandshake handshake;

		private final Callbacks callbacks;

		private @Nullable StackConnection connection;

		volatile boolean cancelled;

		Listener(ClientHandshake handshake, Callbacks callbacks) {
			this.handshake = handshake;
			this.callbacks = callbacks;
		}

		@Override
		public void onOpen(WebSocket webSocket) {
			URI uri = this.handshake.uri();
			InetSocketAddress server = new InetSocketAddress(uri.getHost(), this.handshake.port());
			String subprotocol = webSocket.getSubprotocol();
			subprotocol = (subprotocol == null || subprotocol.isEmpty()) ? null : subprotocol;
			HttpHeaders headers = new HttpHeaders();
			if (subprotocol != null) {
				headers.set("Sec-WebSocket-Protocol", subprotocol);
			}
			StackConnection connection = this.cancelled ? null : this.callbacks
				.upgraded(new ConnectionResponse(Peers.format(server), headers, 13, subprotocol, List.of()), server);
			if (connection == null) {
				webSocket.abort();
				return;
			}
			this.connection = connection;
			connection.open(new JdkWebSocketTransport(webSocket, subprotocol));
			webSocket.request(1);
		}

		@Override
		public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			StackConnection connection = this.connection;
			if (connection != null) {
				connection.textReceived(data.toString(), last);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			StackConnection connection = this.connection;
			if (connection != null) {
				connection.binaryReceived(data, last);
			}
			webSocket.request(1);
			return null;
		}

		/** The JDK answers pings itself. */
		@Override
		public @Nullable CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
			StackConnection connection = this.connection;
			if (connection != null) {
				connection.pongReceived(message);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			StackConnection connection = this.connection;
			if (connection != null) {
				connection.closed(statusCode, reason.isEmpty() ? null : reason);
			}
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			StackConnection connection = this.connection;
			if (connection != null) {
				connection.closed(WebSocketProtocol.CLOSE_STATUS_CODE_ABNORMAL_CLOSE,
						String.valueOf(error.getMessage()));
			}
		}

	}

}
