package io.autobahn.spring.websocket.test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.util.Assert;
import org.springframework.web.util.UriUtils;

/**
 * A blocking WebSocket client for tests of a running application, on the JDK's sockets.
 * It connects to an endpoint by its name or its path and finds where it is served: on the
 * application's port ({@code local.server.port} of a
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT)}, under the servlet context path
 * or the WebFlux base path) or on the endpoint's dedicated port
 * ({@code local.autobahn.websocket.<name>.port}), over {@code wss} where the endpoint's
 * port has an SSL bundle, trusting that bundle's certificates. <pre class="code">
 * &#64;SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
 * &#64;AutoConfigureWebSocketTestClient
 * class EchoTests {
 *
 *     &#64;Autowired
 *     WebSocketTestClient webSocket;
 *
 *     &#64;Test
 *     void echoes() {
 *         try (TestWebSocket client = this.webSocket.connect("/echo")) {
 *             client.sendText("hi");
 *             assertThat(client.nextMessage()).isText().hasText("hi");
 *         }
 *     }
 *
 * }
 * </pre> {@link #endpoint(String)} sets the handshake's origin, subprotocols, headers,
 * query parameters and permessage-deflate offer before connecting.
 * <p>
 * Immutable and thread-safe; it reads the ports when it connects, so it can be created
 * before the application's servers have started. The connections it opens are
 * {@link TestWebSocket}s, each for one thread.
 */
public final class WebSocketTestClient {

	/** How long a connection waits for what a test awaits, unless told otherwise. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private final @Nullable ApplicationContext context;

	private final Duration timeout;

	private WebSocketTestClient(@Nullable ApplicationContext context, Duration timeout) {
		this.context = context;
		this.timeout = timeout;
	}

	/**
	 * A client for the endpoints of the given application.
	 * @param context the application's context
	 * @return the client
	 */
	public static WebSocketTestClient create(ApplicationContext context) {
		return new WebSocketTestClient(context, DEFAULT_TIMEOUT);
	}

	/**
	 * A client without an application, which connects to URIs only ({@link #uri(URI)}).
	 * @return the client
	 */
	public static WebSocketTestClient create() {
		return new WebSocketTestClient(null, DEFAULT_TIMEOUT);
	}

	/**
	 * A client like this one whose connections wait the given time for what a test awaits
	 * (the TCP connect, the handshake, a message, the close).
	 * @param timeout the timeout, positive
	 * @return a new client
	 */
	public WebSocketTestClient withTimeout(Duration timeout) {
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
		return new WebSocketTestClient(this.context, timeout);
	}

	/**
	 * Connect to an endpoint of the application with the default handshake (no origin, no
	 * subprotocol, no permessage-deflate offer).
	 * @param endpoint the endpoint's name, or a path that starts with {@code /} (with a
	 * query, if needed), as in {@code @WebSocketEndpoint}
	 * @return the open connection
	 * @throws HandshakeFailedException if the server does not answer with {@code 101}
	 * @throws IllegalArgumentException if the application has no endpoint of that name
	 * @throws IllegalStateException if the endpoint's server is not listening
	 */
	public TestWebSocket connect(String endpoint) {
		return endpoint(endpoint).connect();
	}

	/**
	 * Start a connection to an endpoint of the application, to set the handshake first.
	 * @param endpoint the endpoint's name, or a path that starts with {@code /} (with a
	 * query, if needed), as in {@code @WebSocketEndpoint}
	 * @return the connection's settings
	 */
	public ConnectSpec endpoint(String endpoint) {
		Assert.hasText(endpoint, "endpoint must not be empty");
		Assert.state(this.context != null,
				"This WebSocketTestClient has no application: create it with an ApplicationContext, or connect to a URI");
		return new ConnectSpec(this, endpoint, null);
	}

	/**
	 * Start a connection to any WebSocket URI ({@code ws://} or {@code wss://}).
	 * @param uri the URI
	 * @return the connection's settings
	 */
	public ConnectSpec uri(URI uri) {
		Assert.isTrue("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme()),
				() -> "Not a WebSocket URI: " + uri);
		return new ConnectSpec(this, uri.toString(), uri);
	}

	/**
	 * Return the URI an endpoint of the application is served at, as {@link #connect}
	 * finds it.
	 * @param endpoint the endpoint's name, or its path
	 * @return the URI, such as {@code ws://127.0.0.1:54321/echo}
	 */
	public URI uriOf(String endpoint) {
		return endpoint(endpoint).resolve().uri();
	}

	Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * The handshake of one connection, set before it {@link #connect() connects}. Each
	 * setter returns this spec. Not thread-safe.
	 */
	public static final class ConnectSpec {

		private final WebSocketTestClient client;

		private final String endpoint;

		private final @Nullable URI uri;

		private @Nullable String origin;

		private final List<String> subprotocols = new ArrayList<>();

		private final Map<String, String> headers = new LinkedHashMap<>();

		private final List<String> params = new ArrayList<>();

		private boolean perMessageDeflate;

		private @Nullable Duration timeout;

		private EndpointTarget.Trust trust = EndpointTarget.Trust.DEFAULT;

		private @Nullable String sslBundle;

		private ConnectSpec(WebSocketTestClient client, String endpoint, @Nullable URI uri) {
			this.client = client;
			this.endpoint = endpoint;
			this.uri = uri;
		}

		/**
		 * Send an {@code Origin} header, as a browser does.
		 * @param origin the origin, such as {@code https://example.com}
		 * @return this spec
		 */
		public ConnectSpec origin(String origin) {
			this.origin = origin;
			return this;
		}

		/**
		 * Offer subprotocols, in order of preference.
		 * @param subprotocols the subprotocols
		 * @return this spec
		 */
		public ConnectSpec subprotocols(String... subprotocols) {
			this.subprotocols.addAll(List.of(subprotocols));
			return this;
		}

		/**
		 * Send a header with the handshake, replacing one of the client's own of that
		 * name ({@code Sec-WebSocket-Version}, for example).
		 * @param name the header name
		 * @param value the value
		 * @return this spec
		 */
		public ConnectSpec header(String name, String value) {
			this.headers.keySet().removeIf(name::equalsIgnoreCase);
			this.headers.put(name, value);
			return this;
		}

		/**
		 * Add a query parameter to the request's URI, percent-encoded.
		 * @param name the parameter's name
		 * @param value its value
		 * @return this spec
		 */
		public ConnectSpec param(String name, String value) {
			this.params.add(UriUtils.encodeQueryParam(name, StandardCharsets.UTF_8) + "="
					+ UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8));
			return this;
		}

		/**
		 * Offer permessage-deflate (without window parameters, so that the JDK's zlib
		 * serves it). When the server accepts, messages are sent compressed and received
		 * messages inflated.
		 * @return this spec
		 */
		public ConnectSpec perMessageDeflate() {
			this.perMessageDeflate = true;
			return this;
		}

		/**
		 * Wait this long for what a test awaits on this connection, instead of the
		 * client's timeout.
		 * @param timeout the timeout, positive
		 * @return this spec
		 */
		public ConnectSpec timeout(Duration timeout) {
			Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
			this.timeout = timeout;
			return this;
		}

		/**
		 * For {@code wss}: trust every certificate and host name. For tests only, against
		 * a server with a certificate the client has no other way to trust.
		 * @return this spec
		 */
		public ConnectSpec trustAll() {
			this.trust = EndpointTarget.Trust.ALL;
			this.sslBundle = null;
			return this;
		}

		/**
		 * For {@code wss}: trust the certificates of the application's SSL bundle of this
		 * name (those of its key store and its trust store), with host name verification.
		 * An endpoint's own {@code ssl-bundle} is trusted without this.
		 * @param name the bundle's name ({@code spring.ssl.bundle.*})
		 * @return this spec
		 */
		public ConnectSpec sslBundle(String name) {
			this.trust = EndpointTarget.Trust.BUNDLE;
			this.sslBundle = name;
			return this;
		}

		/**
		 * Open the connection.
		 * @return the open connection
		 * @throws HandshakeFailedException if the server does not answer with a valid
		 * {@code 101}
		 * @throws IllegalArgumentException if the application has no endpoint of that
		 * name
		 * @throws IllegalStateException if the endpoint's server is not listening
		 * @throws java.io.UncheckedIOException if the TCP or TLS connection fails
		 */
		public TestWebSocket connect() {
			return Handshake.open(resolve(), new Handshake.Offer(this.origin, List.copyOf(this.subprotocols),
					Map.copyOf(this.headers), this.perMessageDeflate), effectiveTimeout());
		}

		private Duration effectiveTimeout() {
			return (this.timeout != null) ? this.timeout : this.client.getTimeout();
		}

		EndpointTarget resolve() {
			EndpointTarget target = (this.uri != null) ? EndpointTarget.of(this.uri)
					: EndpointTarget.resolve(this.client.context, this.endpoint);
			return target.with(this.params, this.trust, this.sslBundle);
		}

	}

}
