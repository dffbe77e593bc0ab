package io.autobahn.spring.websocket.behaviour;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.jspecify.annotations.Nullable;
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
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * wss on a dedicated port: the port is secured by a Spring Boot SSL bundle (a self-signed
 * PKCS12 keystore shipped as a test resource); the JDK's client, trusting that keystore,
 * echoes over {@code wss://}, and a plain {@code ws://} client gets no connection.
 * Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = DedicatedPortTlsTests.TlsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "spring.ssl.bundle.jks.ws-tls.keystore.location=classpath:ws-tls.p12",
				"spring.ssl.bundle.jks.ws-tls.keystore.password=secret",
				"spring.ssl.bundle.jks.ws-tls.keystore.type=PKCS12", "autobahn.websocket.endpoints.secure.port=0",
				"autobahn.websocket.endpoints.secure.ssl-bundle=ws-tls" })
class DedicatedPortTlsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Value("${local.autobahn.websocket.secure.port}")
	int port;

	@Autowired
	HookRecorder recorder;

	@Test
	void echoesOverWssWithAClientThatTrustsTheBundlesCertificate() throws Exception {
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

	@Test
	void plainWsOnTheSecuredPortGetsNoConnection() {
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> JdkClient.connect(this.port, "/secure"));
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
