package io.autobahn.spring.websocket.behaviour;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.LogLines;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user reads at startup: one INFO line per endpoint with its name, URL and the
 * server that serves it, on the application's port (under its context path) once its
 * server listens and on a dedicated port (here with TLS: wss) once that one listens.
 * Started with {@link SpringApplication}, as {@code main} starts it; subclasses run it on
 * the other stacks and name their server.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupLogTests {

	/**
	 * Return the name the line gives the application's own server on this stack.
	 * @return the server's name
	 */
	String mainServer() {
		return "Tomcat";
	}

	@Test
	void eachEndpointIsLoggedOnceWithItsUrlAndServer(CapturedOutput output) throws Exception {
		SpringApplication application = new SpringApplication(StartupLogApplication.class);
		application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1",
				"server.servlet.context-path", "/app", "spring.webflux.base-path", "/app", "spring.main.banner-mode",
				"off", "autobahn.websocket.endpoints.vault.port", "0", "autobahn.websocket.endpoints.vault.ssl-bundle",
				"ws-tls", "spring.ssl.bundle.jks.ws-tls.keystore.location", "classpath:ws-tls.p12",
				"spring.ssl.bundle.jks.ws-tls.keystore.password", "secret",
				"spring.ssl.bundle.jks.ws-tls.keystore.type", "PKCS12"));
		try (ConfigurableApplicationContext context = application.run()) {
			Environment environment = context.getEnvironment();
			int port = environment.getRequiredProperty("local.server.port", Integer.class);
			assertThat(lines(output, "'echo'")).containsExactly(
					"WebSocket endpoint 'echo' serving ws://127.0.0.1:" + port + "/app/echo (" + mainServer() + ")");
			// The URL is where the endpoint really is, under the context path (base
			// path).
			JdkClient.connect(port, "/app/echo").sendClose(1000, "");
			assertThat(lines(output, "'vault'")).containsExactly("WebSocket endpoint 'vault' serving wss://127.0.0.1:"
					+ environment.getProperty("local.autobahn.websocket.vault.port")
					+ "/vault (Reactor Netty, dedicated port)");
			assertThat(LogLines.first(output.toString(), "WebSocket endpoint 'echo' serving")).contains(" INFO ");
		}
	}

	private static List<String> lines(CapturedOutput output, String endpoint) {
		String marker = "WebSocket endpoint " + endpoint + " serving";
		return output.toString()
			.lines()
			.filter((line) -> line.contains(marker))
			.map((line) -> line.substring(line.indexOf("WebSocket endpoint ")))
			.toList();
	}

	@WebSocketEndpoint(path = "/echo", name = "echo")
	static class EchoEndpoint extends WebSocketServerProtocol {

	}

	@WebSocketEndpoint(path = "/vault", name = "vault")
	static class VaultEndpoint extends WebSocketServerProtocol {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class StartupLogApplication {

		@Bean
		EchoEndpoint echo() {
			return new EchoEndpoint();
		}

		@Bean
		VaultEndpoint vault() {
			return new VaultEndpoint();
		}

	}

}
