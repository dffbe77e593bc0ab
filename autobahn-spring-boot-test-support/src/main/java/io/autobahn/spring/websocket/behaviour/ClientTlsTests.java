package io.autobahn.spring.websocket.behaviour;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketClient;
import io.autobahn.spring.websocket.WebSocketClientOptions;
import io.autobahn.spring.websocket.WebSocketClientProtocol;
import io.autobahn.spring.websocket.WebSocketConnectException;
import io.autobahn.spring.websocket.WebSocketConnectException.Reason;
import io.autobahn.spring.websocket.WebSocketConnector;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The starter's client over {@code wss}, against the starter's own server whose port
 * serves TLS ({@code server.ssl.bundle}, a self-signed certificate for {@code localhost}
 * and {@code 127.0.0.1}): certificates are verified by default, so the connect fails with
 * {@link Reason#TLS}; with an SSL bundle that trusts the certificate the client connects,
 * and echoes.
 * <p>
 * Client-side: each stack module runs it through a subclass that names the client
 * transport.
 */
@SpringBootTest(classes = ClientTlsTests.TlsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "server.ssl.bundle=ws-tls",
				"spring.ssl.bundle.jks.ws-tls.keystore.location=classpath:ws-tls.p12",
				"spring.ssl.bundle.jks.ws-tls.keystore.password=secret",
				"spring.ssl.bundle.jks.ws-tls.keystore.type=PKCS12",
				"spring.ssl.bundle.jks.ws-trust.truststore.location=classpath:ws-tls.p12",
				"spring.ssl.bundle.jks.ws-trust.truststore.password=secret",
				"spring.ssl.bundle.jks.ws-trust.truststore.type=PKCS12" })
abstract class ClientTlsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Autowired
	WebSocketConnector connector;

	@Autowired
	SslBundles sslBundles;

	@LocalServerPort
	int port;

	@Test
	void aCertificateTheClientDoesNotTrustFailsTheConnectWithTls() {
		ExecutionException failure = assertThrows(ExecutionException.class,
				() -> this.connector.connect(uri(), TlsClient.class).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
		assertThat(failure.getCause()).isInstanceOf(WebSocketConnectException.class);
		WebSocketConnectException connectFailure = (WebSocketConnectException) failure.getCause();
		assertThat(connectFailure.getReason()).isEqualTo(Reason.TLS);
		assertThat(connectFailure.getMessage()).contains(uri().toString());
	}

	@Test
	void anSslBundleThatTrustsTheCertificateConnectsAndEchoes() throws Exception {
		WebSocketClientOptions options = this.connector.getDefaultOptions()
			.toBuilder()
			.sslBundle(this.sslBundles.getBundle("ws-trust"))
			.build();
		TlsClient client = this.connector.connect(uri(), options, TlsClient.class)
			.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		client.sendMessage("over TLS");
		assertThat(client.messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("over TLS");
		client.sendClose();
	}

	private URI uri() {
		return URI.create("wss://127.0.0.1:" + this.port + "/echo");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ EchoEndpoint.class, TlsClient.class })
	static class TlsApplication {

	}

	@WebSocketEndpoint("/echo")
	static class EchoEndpoint extends WebSocketServerProtocol {

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			sendMessage(payload, isBinary);
		}

	}

	/** Queues the text messages it receives. */
	@WebSocketClient
	static class TlsClient extends WebSocketClientProtocol {

		final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			this.messages.add(new String(payload, StandardCharsets.UTF_8));
		}

	}

}
