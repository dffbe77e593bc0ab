package io.autobahn.spring.websocket.behaviour;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ClassPathResource;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.test.Conformance;
import io.autobahn.spring.websocket.test.ConformanceReport;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * wss on a dedicated port: the port is secured by a Spring Boot SSL bundle (a self-signed
 * PKCS12 keystore shipped as a test resource); the JDK's client, trusting that keystore,
 * echoes over {@code wss://}, and a plain {@code ws://} client gets no connection.
 * Hostile connections (a stalled TLS handshake, plain HTTP, random bytes) are closed
 * within a bound, by the {@code open-handshake-timeout} at the latest, without a line of
 * log, and a real wss client still echoes after each. Stack-neutral: subclassed per
 * container.
 */
@SpringBootTest(classes = DedicatedPortTlsTests.TlsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1",
				"spring.ssl.bundle.jks.ws-tls.keystore.location=classpath:ws-tls.p12",
				"spring.ssl.bundle.jks.ws-tls.keystore.password=secret",
				"spring.ssl.bundle.jks.ws-tls.keystore.type=PKCS12", "autobahn.websocket.endpoints.secure.port=0",
				"autobahn.websocket.endpoints.secure.ssl-bundle=ws-tls",
				"autobahn.websocket.endpoints.secure.open-handshake-timeout=3s" })
class DedicatedPortTlsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	/**
	 * A hostile connection is closed no later than this after it was opened: the
	 * open-handshake-timeout (3 s, as a real client's first TLS handshake on a loaded
	 * machine may take more than 1 s) and a margin, well before Netty's own TLS handshake
	 * timeout of 10 s.
	 */
	private static final Duration CLOSE_BOUND = Duration.ofSeconds(8);

	@Value("${local.autobahn.websocket.secure.port}")
	int port;

	@Autowired
	HookRecorder recorder;

	@BeforeEach
	void clearRecorder() {
		this.recorder.clear();
	}

	@Test
	void echoesOverWssWithAClientThatTrustsTheBundlesCertificate() throws Exception {
		assertEchoesOverWss();
	}

	@Test
	@Conformance("RFC 6455 10.4")
	void stalledTlsHandshakesAreClosedByTheOpenHandshakeTimeoutWithoutALogLine() throws Exception {
		// Nothing at all, and the first bytes of a TLS record that never completes.
		assertClosedQuietlyAndWssStillWorks(new byte[0]);
		assertClosedQuietlyAndWssStillWorks(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 });
	}

	@Test
	@Conformance("RFC 6455 4.1, 10.6")
	void plainHttpOnTheTlsPortIsClosedWithoutALogLine() throws Exception {
		assertClosedQuietlyAndWssStillWorks(("GET /secure HTTP/1.1\r\nHost: 127.0.0.1:" + this.port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
				+ "Sec-WebSocket-Version: 13\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1));
	}

	@Test
	@Conformance("RFC 6455 10.6")
	void garbageOnTheTlsPortIsClosedWithoutALogLine() throws Exception {
		byte[] garbage = new byte[4096];
		new Random(6455).nextBytes(garbage);
		assertClosedQuietlyAndWssStillWorks(garbage);
	}

	@Test
	void plainWsOnTheSecuredPortGetsNoConnection() {
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> JdkClient.connect(this.port, "/secure"));
	}

	/**
	 * Send the bytes and no more: the server closes the connection within
	 * {@link #CLOSE_BOUND} without logging anything, and a real wss client echoes after.
	 */
	private void assertClosedQuietlyAndWssStillWorks(byte[] bytes) throws Exception {
		try (LogCapture log = LogCapture.start(); Socket socket = new Socket()) {
			long start = System.nanoTime();
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			socket.getOutputStream().write(bytes);
			socket.getOutputStream().flush();
			assertThat(closedWithin(socket, CLOSE_BOUND)).as("closed within %s", CLOSE_BOUND).isTrue();
			ConformanceReport.observe("closed after " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
			log.awaitQuiet(Duration.ofMillis(200), Duration.ofSeconds(3));
			assertThat(log.events()).as("logged:%n%s", log.text()).isEmpty();
		}
		assertEchoesOverWss();
	}

	private static boolean closedWithin(Socket socket, Duration bound) throws IOException {
		long deadline = System.nanoTime() + bound.toNanos();
		InputStream in = socket.getInputStream();
		byte[] sink = new byte[4096];
		while (System.nanoTime() < deadline) {
			socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis()));
			try {
				if (in.read(sink) < 0) {
					return true;
				}
			}
			catch (SocketTimeoutException ex) {
				return false;
			}
			catch (SocketException ex) {
				return true;
			}
		}
		return false;
	}

	private void assertEchoesOverWss() throws Exception {
		HttpClient client = HttpClient.newBuilder().sslContext(trustingTheTestKeystore()).build();
		BlockingQueue<String> received = new LinkedBlockingQueue<>();
		WebSocket webSocket = client.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(URI.create("wss://127.0.0.1:" + this.port + "/secure"), new TextCollector(received))
			.get(10, TimeUnit.SECONDS);
		webSocket.sendText("over tls", true).get(10, TimeUnit.SECONDS);
		assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("over tls");
		webSocket.sendClose(1000, "bye").get(10, TimeUnit.SECONDS);
		assertThat(this.recorder.await("onClose", TIMEOUT).details()).containsExactly(true, 1000, "bye");
	}

	private static SSLContext trustingTheTestKeystore() throws Exception {
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		try (InputStream in = new ClassPathResource("ws-tls.p12").getInputStream()) {
			keyStore.load(in, "secret".toCharArray());
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(keyStore);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

	private record TextCollector(BlockingQueue<String> received) implements WebSocket.Listener {

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.received.add(data.toString());
			webSocket.request(1);
			return null;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(SecureEchoProtocol.class)
	static class TlsApplication {

		@Bean
		HookRecorder hookRecorder() {
			return new HookRecorder();
		}

	}

	@WebSocketEndpoint(path = "/secure", name = "secure")
	static class SecureEchoProtocol extends WebSocketServerProtocol {

		private final HookRecorder recorder;

		SecureEchoProtocol(HookRecorder recorder) {
			this.recorder = recorder;
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			sendMessage(payload, isBinary);
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			this.recorder.recordNullable("onClose", wasClean, code, reason);
		}

	}

}
