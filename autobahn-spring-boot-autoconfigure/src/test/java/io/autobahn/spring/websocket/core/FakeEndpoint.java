package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;

import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.WebSocketProtocol;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * A {@link ServerEndpoint} for unit tests, without a web stack: protocol instances come
 * from a supplier and their disposals are counted, the transport is a
 * {@link FakeTransport}, the timer is a real single-thread scheduler (call
 * {@link #close()}), and the budgets count (with a connection limit where one is given).
 */
final class FakeEndpoint implements AutoCloseable {

	final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1);

	final Map<WebSocketServerProtocol, Integer> destroyed = Collections.synchronizedMap(new IdentityHashMap<>());

	final ConnectionRegistry registry = new ConnectionRegistry();

	final RecordingObserver observer = new RecordingObserver();

	final ServerEndpoint endpoint;

	FakeEndpoint(Supplier<WebSocketServerProtocol> protocols, Duration openHandshakeTimeout,
			Duration closeHandshakeTimeout, String... subprotocols) {
		this(protocols, Budget.UNLIMITED, openHandshakeTimeout, closeHandshakeTimeout, subprotocols);
	}

	FakeEndpoint(Supplier<WebSocketServerProtocol> protocols, long maxConnections, Duration openHandshakeTimeout,
			Duration closeHandshakeTimeout, String... subprotocols) {
		this(protocols, maxConnections,
				(builder) -> builder.openHandshakeTimeout(openHandshakeTimeout)
					.closeHandshakeTimeout(closeHandshakeTimeout)
					.subprotocols(List.of(subprotocols)));
	}

	/**
	 * An endpoint with the defaults of the other constructors, changed by the given
	 * function.
	 */
	FakeEndpoint(Supplier<WebSocketServerProtocol> protocols, long maxConnections,
			UnaryOperator<EndpointSettings.Builder> customizer) {
		EndpointSettings settings = customizer
			.apply(EndpointSettings.builder()
				.allowedOrigins(List.of())
				.maxMessagePayloadSize(1024 * 1024)
				.openHandshakeTimeout(Duration.ofSeconds(5))
				.closeHandshakeTimeout(Duration.ofSeconds(1))
				.autoPingSize(12)
				.autoPingRestartOnAnyTraffic(true)
				.perMessageCompression(true)
				.subprotocols(List.of())
				.sendBufferSizeLimit(1024 * 1024)
				.sendTimeLimit(Duration.ofSeconds(10))
				.blockingHooks(false))
			.build();
		EndpointDefinition definition = new EndpointDefinition("fake", "/fake", "fake", WebSocketServerProtocol.class,
				settings, null, null);
		ProtocolFactory factory = new ProtocolFactory() {

			@Override
			public WebSocketServerProtocol create(EndpointDefinition endpoint) {
				return protocols.get();
			}

			@Override
			public void destroy(EndpointDefinition endpoint, WebSocketServerProtocol protocol) {
				FakeEndpoint.this.destroyed.merge(protocol, 1, Integer::sum);
			}

		};
		this.endpoint = new ServerEndpoint(definition, factory, this.registry, this.timer,
				WebSocketBudgets.unlimited().endpoint("fake", Budget.UNLIMITED, Budget.UNLIMITED, maxConnections),
				this.observer);
	}

	/**
	 * Run {@code onConnect} and return the accepted connection, not yet open.
	 */
	ProtocolConnection connect() {
		return (ProtocolConnection) this.endpoint.connect(request()).join().connection();
	}

	long connectionsHeld() {
		return this.endpoint.getBudgets().getConnections().getInUse();
	}

	int destroyedCount(WebSocketProtocol protocol) {
		return this.destroyed.getOrDefault(protocol, 0);
	}

	static ConnectionRequest request(String... protocols) {
		HttpHeaders headers = new HttpHeaders();
		// The sample key of RFC 6455 1.3.
		headers.set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
		return new ConnectionRequest("tcp4:127.0.0.1:1234", headers, "localhost", "/fake", new LinkedMultiValueMap<>(),
				13, null, List.of(protocols), List.of(), null, new LinkedMultiValueMap<>());
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

	/**
	 * Records what the engine reports, one string per event, and times {@code onMessage}.
	 */
	static final class RecordingObserver implements EndpointObserver {

		final List<String> events = Collections.synchronizedList(new ArrayList<>());

		final List<Long> handled = Collections.synchronizedList(new ArrayList<>());

		@Override
		public void handshakeRefused(int status, Refusal reason) {
			this.events.add("refused " + status + " " + reason.tag());
		}

		@Override
		public void connectionOpened() {
			this.events.add("opened");
		}

		@Override
		public void connectionClosed(@Nullable Integer code) {
			this.events.add("closed " + code);
		}

		@Override
		public void messageReceived(boolean isBinary, int size) {
			this.events.add("received " + (isBinary ? "binary " : "text ") + size);
		}

		@Override
		public void messageSent(boolean isBinary, int size) {
			this.events.add("sent " + (isBinary ? "binary " : "text ") + size);
		}

		@Override
		public boolean timesMessageHandling() {
			return true;
		}

		@Override
		public void messageHandled(long nanos) {
			this.handled.add(nanos);
		}

		@Override
		public void messageRefused(boolean incoming) {
			this.events.add("refused message " + (incoming ? "in" : "out"));
		}

		@Override
		public void sendOverflow() {
			this.events.add("overflow");
		}

		@Override
		public void autoPingTimeout() {
			this.events.add("ping timeout");
		}

		@Override
		public void autoPong(long roundTripNanos) {
			this.events.add("pong");
		}

	}

	/**
	 * Records what is written, and completes each write at once, but for a binary write
	 * while {@link #writing} is set: that one is held, as by a peer that does not read,
	 * until {@link #release} is counted down. {@link #reportCloseWhenSent} makes it
	 * behave as Tomcat does (the close is reported to the connection as soon as the close
	 * frame is written).
	 */
	static final class FakeTransport implements Transport {

		final List<String> written = Collections.synchronizedList(new ArrayList<>());

		final List<byte[]> pings = Collections.synchronizedList(new ArrayList<>());

		/**
		 * Counted down by a binary write, whose completion then waits for
		 * {@link #release}.
		 */
		volatile @Nullable CountDownLatch writing;

		final CountDownLatch release = new CountDownLatch(1);

		volatile @Nullable ProtocolConnection connection;

		volatile boolean reportCloseWhenSent;

		volatile boolean peerCloseReceived;

		volatile boolean aborted;

		@Override
		public void sendText(ByteBuffer utf8, boolean last, Completion completion) {
			int length = utf8.remaining();
			this.written.add("text " + StandardCharsets.UTF_8.decode(utf8));
			completion.written(length);
		}

		@Override
		public void sendBinary(ByteBuffer data, boolean last, Completion completion) {
			int length = data.remaining();
			this.written.add("binary " + length);
			CountDownLatch writing = this.writing;
			if (writing == null) {
				completion.written(length);
				return;
			}
			writing.countDown();
			Thread completer = new Thread(() -> {
				try {
					this.release.await(10, TimeUnit.SECONDS);
					completion.written(length);
				}
				catch (InterruptedException ex) {
					completion.failed(length, ex);
				}
			}, "fake-transport-completion");
			completer.setDaemon(true);
			completer.start();
		}

		@Override
		public void sendPing(ByteBuffer payload, Completion completion) {
			int length = payload.remaining();
			this.written.add("ping " + length);
			byte[] bytes = new byte[length];
			payload.get(bytes);
			this.pings.add(bytes);
			completion.written(length);
		}

		@Override
		public void sendPong(ByteBuffer payload, Completion completion) {
			int length = payload.remaining();
			this.written.add("pong " + length);
			completion.written(length);
		}

		@Override
		public void close(@Nullable Integer code, @Nullable String reason, Completion completion) {
			this.written.add("close " + code + " " + reason);
			completion.written(0);
			ProtocolConnection connection = this.connection;
			if (this.reportCloseWhenSent && connection != null) {
				connection.closed((code != null) ? code : 1005, reason);
			}
		}

		@Override
		public void abort() {
			this.aborted = true;
		}

		@Override
		public boolean reportsCloseWhenSent() {
			return this.reportCloseWhenSent;
		}

		@Override
		public boolean isPeerCloseReceived() {
			return this.peerCloseReceived;
		}

		@Override
		public @Nullable String getSubprotocol() {
			return null;
		}

		@Override
		public List<String> getExtensions() {
			return List.of();
		}

	}

}
