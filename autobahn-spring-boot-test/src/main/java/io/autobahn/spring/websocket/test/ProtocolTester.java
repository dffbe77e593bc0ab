package io.autobahn.spring.websocket.test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.util.StringUtils;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionDeny;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.autoconfigure.WebSocketOptions;
import io.autobahn.spring.websocket.core.AcceptedConnection;
import io.autobahn.spring.websocket.core.Budget;
import io.autobahn.spring.websocket.core.ConnectionRegistry;
import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.ProtocolFactory;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.core.StackConnection;
import io.autobahn.spring.websocket.core.WebSocketBudgets;

/**
 * Drives one protocol instance through the starter's engine without a server, as
 * Autobahn's own tests drive a protocol over a memory transport: the test plays the peer
 * ({@link #receive(String)}, {@link #receiveClose(int, String)}, {@link #drop()}) and
 * sees what the protocol sent ({@link #sent()}, {@link #closeSent()}). The engine is the
 * one every stack runs (the close state machine, one hook at a time, message assembly
 * under {@code max-message-payload-size}, the send path, {@code close-handshake-timeout},
 * {@code Disconnected}), so hook order and close semantics are the real ones; only the
 * container is missing. <pre class="code">
 * try (ProtocolTester&lt;EchoProtocol&gt; tester = ProtocolTester.of(new EchoProtocol())) {
 *     tester.open().receive("hi");
 *     assertThat(tester.sent()).containsExactly(Message.text("hi"));
 * }
 * </pre> What the container does is not done here: nothing validates UTF-8 or frames, a
 * close frame from the peer is not answered (the engine does not write the answer; the
 * container does), and {@code onPing} is called for every {@link #receivePing ping}, as
 * on Reactor Netty (Tomcat and Jetty answer pings themselves). The settings are the
 * application's defaults, changed with {@link #of(WebSocketServerProtocol, Consumer)}.
 * <p>
 * Hooks run on the thread that calls the {@code receive} methods, one test thread; what a
 * protocol sends from other threads is recorded too ({@link #awaitSent(int, Duration)}).
 * {@link #close()} drops a connection still open and stops the tester's timer thread.
 * <p>
 * Over this project's usual length (about 600 lines, more than a third javadoc): one
 * method per event a peer can cause and per thing a test asserts, and the handshake's
 * {@link RequestSpec}.
 *
 * @param <P> the protocol's type
 */
public final class ProtocolTester<P extends WebSocketServerProtocol> implements AutoCloseable {

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private final P protocol;

	private final ServerEndpoint endpoint;

	private final ScheduledThreadPoolExecutor timer;

	private final AtomicBoolean destroyed = new AtomicBoolean();

	private final RequestSpec request = new RequestSpec();

	private @Nullable AcceptedConnection accepted;

	private @Nullable MemoryTransport transport;

	private ProtocolTester(P protocol, WebSocketOptions options) {
		this.protocol = protocol;
		EndpointSettings.Builder settings = EndpointSettings.builder();
		options.applyTo(settings);
		EndpointSettings endpointSettings = settings.build();
		WebSocketEndpoint annotation = AnnotatedElementUtils.findMergedAnnotation(protocol.getClass(),
				WebSocketEndpoint.class);
		String name = (annotation != null && StringUtils.hasText(annotation.name())) ? annotation.name()
				: StringUtils.uncapitalize(protocol.getClass().getSimpleName());
		String path = (annotation != null && StringUtils.hasText(annotation.path())) ? annotation.path() : "/";
		this.request.path = path;
		EndpointDefinition definition = new EndpointDefinition(name, path, name, protocol.getClass(), endpointSettings,
				null, null);
		this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads());
		this.timer.setRemoveOnCancelPolicy(true);
		this.endpoint = new ServerEndpoint(definition, new SingleInstance(), new ConnectionRegistry(), this.timer,
				WebSocketBudgets.unlimited()
					.endpoint(name, orUnlimited(endpointSettings.inboundBudget()),
							orUnlimited(endpointSettings.outboundBudget()), Budget.UNLIMITED));
	}

	/**
	 * A tester for the given protocol instance, with the application's default settings.
	 * @param protocol a new instance, never used
	 * @param <P> its type
	 * @return the tester
	 */
	public static <P extends WebSocketServerProtocol> ProtocolTester<P> of(P protocol) {
		return of(protocol, (options) -> {
		});
	}

	/**
	 * A tester for the given protocol instance, with settings changed from the
	 * application's defaults, as under {@code autobahn.websocket.*}. <pre class="code">
	 * ProtocolTester.of(new EchoProtocol(), (options) -&gt; options.setMaxMessagePayloadSize(DataSize.ofBytes(16)))
	 * </pre>
	 * @param protocol a new instance, never used
	 * @param options changes the settings
	 * @param <P> its type
	 * @return the tester
	 */
	public static <P extends WebSocketServerProtocol> ProtocolTester<P> of(P protocol,
			Consumer<WebSocketOptions> options) {
		WebSocketOptions settings = new WebSocketOptions();
		options.accept(settings);
		return new ProtocolTester<>(protocol, settings);
	}

	/**
	 * Set the client's opening handshake, before {@link #connect()} or {@link #open()}:
	 * its path (the endpoint's by default), query parameters, headers, subprotocols and
	 * peer.
	 * @param request changes the request
	 * @return this tester
	 */
	public ProtocolTester<P> request(Consumer<RequestSpec> request) {
		requireNotConnected();
		request.accept(this.request);
		return this;
	}

	/**
	 * Run {@code onConnect} with the request, and wait for a deferred accept (at most
	 * {@code open-handshake-timeout}).
	 * @return what the {@code 101} would carry: the chosen subprotocol (also one picked
	 * from the {@code subprotocols} setting) and the extra headers
	 * @throws ConnectionDeny as the handshake would be refused: thrown by
	 * {@code onConnect} or its deferred accept, or {@code 500} for any other exception
	 * there
	 * @throws IllegalStateException if called twice
	 */
	public ConnectionAccept connect() {
		requireNotConnected();
		CompletableFuture<AcceptedConnection> connecting = this.endpoint.connect(this.request.build());
		Duration timeout = this.endpoint.getDefinition().settings().openHandshakeTimeout();
		AcceptedConnection accepted;
		try {
			accepted = connecting.get(timeout.toMillis() + DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof ConnectionDeny deny) {
				throw deny;
			}
			throw new IllegalStateException("onConnect failed unexpectedly", ex.getCause());
		}
		catch (TimeoutException ex) {
			connecting.cancel(false);
			throw new IllegalStateException("The handshake did not complete within " + timeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			connecting.cancel(false);
			throw new IllegalStateException("Interrupted", ex);
		}
		this.accepted = accepted;
		ConnectionAccept answer = ConnectionAccept.accept();
		if (accepted.subprotocol() != null) {
			answer = ConnectionAccept.subprotocol(accepted.subprotocol());
		}
		for (Map.Entry<String, List<String>> header : accepted.headers().entrySet()) {
			for (String value : header.getValue()) {
				answer = answer.withHeader(header.getKey(), value);
			}
		}
		return answer;
	}

	/**
	 * Open the connection, as the stack does once the {@code 101} is sent: {@code onOpen}
	 * runs, on this thread. Runs {@link #connect()} first if it has not run.
	 * @return this tester
	 * @throws AssertionError if {@code onConnect} refuses the handshake
	 * @throws IllegalStateException if the connection was opened already
	 */
	public ProtocolTester<P> open() {
		if (this.transport != null) {
			throw new IllegalStateException("The connection is open already");
		}
		if (this.accepted == null) {
			try {
				connect();
			}
			catch (ConnectionDeny deny) {
				throw new AssertionError(
						"onConnect refused the handshake with " + deny.getCode() + " " + deny.getReason(), deny);
			}
		}
		AcceptedConnection accepted = this.accepted;
		MemoryTransport transport = new MemoryTransport(accepted.subprotocol());
		this.transport = transport;
		accepted.connection().open(transport);
		return this;
	}

	/**
	 * The peer sent a text message.
	 * @param text the text
	 * @return this tester
	 */
	public ProtocolTester<P> receive(String text) {
		return receive(text.getBytes(StandardCharsets.UTF_8), false);
	}

	/**
	 * The peer sent a binary message.
	 * @param payload the payload
	 * @return this tester
	 */
	public ProtocolTester<P> receive(byte[] payload) {
		return receive(payload, true);
	}

	/**
	 * The peer sent a message in one frame.
	 * @param payload the payload; for text its UTF-8 bytes (not validated here, as the
	 * container would)
	 * @param isBinary whether it is binary
	 * @return this tester
	 */
	public ProtocolTester<P> receive(byte[] payload, boolean isBinary) {
		connection().frameReceived(ByteBuffer.wrap(payload), isBinary, true);
		return this;
	}

	/**
	 * The peer sent a message in frames: the engine assembles them, under
	 * {@code max-message-payload-size}.
	 * @param isBinary whether the message is binary
	 * @param fragments the frames' payloads, in order
	 * @return this tester
	 */
	public ProtocolTester<P> receiveFragments(boolean isBinary, byte[]... fragments) {
		StackConnection connection = connection();
		for (int i = 0; i < fragments.length; i++) {
			connection.frameReceived(ByteBuffer.wrap(fragments[i]), isBinary, i == fragments.length - 1);
		}
		return this;
	}

	/**
	 * The peer sent a ping: {@code onPing} runs (by default it answers with a pong).
	 * @param payload the payload
	 * @return this tester
	 */
	public ProtocolTester<P> receivePing(byte[] payload) {
		connection().pingReceived(ByteBuffer.wrap(payload));
		return this;
	}

	/**
	 * The peer sent a pong: {@code onPong} runs ({@code onAutoPong} first, for the answer
	 * to the pending auto-ping).
	 * @param payload the payload
	 * @return this tester
	 */
	public ProtocolTester<P> receivePong(byte[] payload) {
		connection().pongReceived(ByteBuffer.wrap(payload));
		return this;
	}

	/**
	 * The peer's close frame arrived, starting the closing handshake or answering the
	 * protocol's close: {@code onClose(true, code, reason)} runs.
	 * @param code the close code
	 * @param reason the reason, or {@code null}
	 * @return this tester
	 */
	public ProtocolTester<P> receiveClose(int code, @Nullable String reason) {
		connection().closed(code, reason);
		return this;
	}

	/**
	 * The peer's close frame without a code arrived: {@code onClose(true, null, null)}
	 * runs.
	 * @return this tester
	 */
	public ProtocolTester<P> receiveClose() {
		connection().closed(Close.NO_STATUS_CODE, null);
		return this;
	}

	/**
	 * The TCP connection dropped without a closing handshake:
	 * {@code onClose(false, 1006, ...)} runs.
	 * @return this tester
	 */
	public ProtocolTester<P> drop() {
		connection().closed(Close.ABNORMAL_CLOSE, null);
		return this;
	}

	/**
	 * Return the protocol instance under test.
	 * @return the instance
	 */
	public P protocol() {
		return this.protocol;
	}

	/**
	 * Return the messages the protocol has sent so far, each whole (its frames joined).
	 * @return the messages, in order
	 */
	public List<Message> sent() {
		MemoryTransport transport = this.transport;
		return (transport != null) ? transport.messages() : List.of();
	}

	/**
	 * Wait until the protocol has sent at least the given number of messages, for sends
	 * from other threads.
	 * @param count the number of messages
	 * @param timeout how long to wait
	 * @return the messages sent so far
	 * @throws AssertionError if fewer were sent in time
	 */
	public List<Message> awaitSent(int count, Duration timeout) {
		MemoryTransport transport = transport();
		try {
			if (!transport.awaitMessages(count, System.nanoTime() + timeout.toNanos())) {
				throw new AssertionError(
						"Expected " + count + " messages sent within " + timeout + " but got " + transport.messages());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted", ex);
		}
		return transport.messages();
	}

	/**
	 * Return how many data frames the protocol has sent, to see fragmentation
	 * ({@code auto-fragment-size}, {@code sendMessage(payload, isBinary, fragmentSize)}).
	 * @return the number of text, binary and continuation frames
	 */
	public int sentFrames() {
		MemoryTransport transport = this.transport;
		return (transport != null) ? transport.frames() : 0;
	}

	/**
	 * Return the payloads of the pings the protocol (or auto-ping) has sent.
	 * @return the payloads, in order
	 */
	public List<byte[]> sentPings() {
		MemoryTransport transport = this.transport;
		return (transport != null) ? transport.pings() : List.of();
	}

	/**
	 * Return the payloads of the pongs the protocol has sent.
	 * @return the payloads, in order
	 */
	public List<byte[]> sentPongs() {
		MemoryTransport transport = this.transport;
		return (transport != null) ? transport.pongs() : List.of();
	}

	/**
	 * Return the close frame the engine sent: {@code sendClose}, or its own close (1011
	 * after a hook threw, 1009 for a message over the limit).
	 * @return the close frame, or empty if none was sent
	 */
	public Optional<Close> closeSent() {
		MemoryTransport transport = this.transport;
		return Optional.ofNullable((transport != null) ? transport.closeSent() : null);
	}

	/**
	 * Return whether the engine dropped the connection without a closing handshake
	 * ({@code dropConnection()}, the close handshake or auto-ping timeout, a send past
	 * its bounds).
	 * @return whether it was dropped
	 */
	public boolean isDropped() {
		MemoryTransport transport = this.transport;
		return transport != null && transport.isAborted();
	}

	/**
	 * Return whether the connection is open: after {@code onOpen}, before a close
	 * started.
	 * @return whether it is open
	 */
	public boolean isOpen() {
		return this.protocol.isOpen();
	}

	/**
	 * Return whether the engine is done with the protocol instance: {@code onClose} has
	 * run (or {@code onConnect} refused the handshake), and the application would destroy
	 * it now.
	 * @return whether it is disposed of
	 */
	public boolean isDestroyed() {
		return this.destroyed.get();
	}

	/**
	 * Drop the connection if it is still open ({@code onClose(false, 1006, ...)} runs),
	 * give up one that {@code onConnect} accepted but that was never opened, and stop the
	 * timer behind the close handshake timeout and auto-ping.
	 */
	@Override
	public void close() {
		try {
			AcceptedConnection accepted = this.accepted;
			if (accepted != null && !this.destroyed.get()) {
				if (this.transport != null) {
					accepted.connection().closed(Close.ABNORMAL_CLOSE, null);
				}
				else {
					accepted.connection().abandon();
				}
			}
		}
		finally {
			this.timer.shutdownNow();
		}
	}

	private StackConnection connection() {
		AcceptedConnection accepted = this.accepted;
		if (accepted == null || this.transport == null) {
			throw new IllegalStateException("The connection is not open: call open() first");
		}
		return accepted.connection();
	}

	private MemoryTransport transport() {
		MemoryTransport transport = this.transport;
		if (transport == null) {
			throw new IllegalStateException("The connection is not open: call open() first");
		}
		return transport;
	}

	private void requireNotConnected() {
		if (this.accepted != null) {
			throw new IllegalStateException("onConnect has run already: one tester drives one connection");
		}
	}

	private static long orUnlimited(long limit) {
		return (limit > 0) ? limit : Budget.UNLIMITED;
	}

	private static CustomizableThreadFactory daemonThreads() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("protocol-tester-timer-");
		threads.setDaemon(true);
		return threads;
	}

	/**
	 * Gives the engine the one instance under test.
	 */
	private final class SingleInstance implements ProtocolFactory {

		private final AtomicBoolean created = new AtomicBoolean();

		@Override
		public WebSocketServerProtocol create(EndpointDefinition endpoint) {
			if (!this.created.compareAndSet(false, true)) {
				throw new IllegalStateException("One tester drives one protocol instance");
			}
			return ProtocolTester.this.protocol;
		}

		@Override
		public void destroy(EndpointDefinition endpoint, WebSocketServerProtocol protocol) {
			ProtocolTester.this.destroyed.set(true);
		}

	}

	/**
	 * The client's opening handshake, as {@code onConnect} sees it in a
	 * {@link ConnectionRequest}. Each setter returns this spec. Not thread-safe.
	 */
	public static final class RequestSpec {

		private String peer = "tcp4:127.0.0.1:54321";

		private String host = "localhost";

		private String path = "/";

		private final MultiValueMap<String, String> params = new LinkedMultiValueMap<>();

		private final HttpHeaders headers = new HttpHeaders();

		private final List<String> subprotocols = new ArrayList<>();

		private RequestSpec() {
		}

		/**
		 * Set the peer, in Autobahn's format.
		 * @param peer such as {@code tcp4:127.0.0.1:54321} (the default)
		 * @return this spec
		 */
		public RequestSpec peer(String peer) {
			this.peer = peer;
			return this;
		}

		/**
		 * Set the {@code Host} header's host.
		 * @param host the host ({@code localhost} by default)
		 * @return this spec
		 */
		public RequestSpec host(String host) {
			this.host = host;
			return this;
		}

		/**
		 * Set the request path (the endpoint's by default).
		 * @param path the path, without a query
		 * @return this spec
		 */
		public RequestSpec path(String path) {
			this.path = path;
			return this;
		}

		/**
		 * Add a query parameter.
		 * @param name its name
		 * @param value its value
		 * @return this spec
		 */
		public RequestSpec param(String name, String value) {
			this.params.add(name, value);
			return this;
		}

		/**
		 * Add a header.
		 * @param name its name
		 * @param value its value
		 * @return this spec
		 */
		public RequestSpec header(String name, String value) {
			this.headers.add(name, value);
			return this;
		}

		/**
		 * Send an {@code Origin} header.
		 * @param origin the origin
		 * @return this spec
		 */
		public RequestSpec origin(String origin) {
			this.headers.set(HttpHeaders.ORIGIN, origin);
			return this;
		}

		/**
		 * Offer subprotocols, in order.
		 * @param subprotocols the subprotocols
		 * @return this spec
		 */
		public RequestSpec subprotocols(String... subprotocols) {
			this.subprotocols.addAll(List.of(subprotocols));
			this.headers.set("Sec-WebSocket-Protocol", String.join(", ", this.subprotocols));
			return this;
		}

		ConnectionRequest build() {
			HttpHeaders headers = new HttpHeaders();
			headers.set(HttpHeaders.HOST, this.host);
			headers.set(HttpHeaders.UPGRADE, "websocket");
			headers.set(HttpHeaders.CONNECTION, "Upgrade");
			// The sample key of RFC 6455 1.3.
			headers.set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
			headers.set("Sec-WebSocket-Version", "13");
			headers.putAll(this.headers);
			return new ConnectionRequest(this.peer, HttpHeaders.readOnlyHttpHeaders(headers), this.host, this.path,
					CollectionUtils.unmodifiableMultiValueMap(new LinkedMultiValueMap<>(this.params)), 13,
					this.headers.getOrigin(), List.copyOf(this.subprotocols), List.of(), null,
					CollectionUtils.unmodifiableMultiValueMap(new LinkedMultiValueMap<>()));
		}

	}

}
