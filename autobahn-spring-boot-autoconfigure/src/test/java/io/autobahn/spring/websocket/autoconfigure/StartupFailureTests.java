package io.autobahn.spring.websocket.autoconfigure;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ResourceLoader;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Every startup failure of the starter as the user sees it: a servlet application on
 * Tomcat, started with {@link SpringApplication} as {@code main} starts it, ends in
 * Spring Boot's "APPLICATION FAILED TO START" report with the exact description and
 * action, and no stack trace. Mistakes in configuration properties name the property, its
 * value and where it was set.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTests {

	private static final String NL = System.lineSeparator();

	@Test
	void endpointDeclaredSingleton(CapturedOutput output) {
		startFailing(SingletonApp.class);
		assertReport(output, "WebSocket endpoint bean 'chat' is declared with scope 'singleton', but "
				+ "@WebSocketEndpoint beans must be prototype-scoped: the starter creates one protocol instance per "
				+ "connection and keeps each connection's state in its fields.",
				"Remove the @Scope annotation from 'chat' (or use @Scope(\"prototype\")). Keep state that "
						+ "connections share in a separate singleton bean and inject it into the endpoint.");
	}

	@Test
	void twoEndpointsOnOnePath(CapturedOutput output) {
		startFailing(DuplicatePathApp.class);
		assertReport(output, "WebSocket endpoints 'chat' and 'otherChat' are both mapped to path '/chat'.",
				"Give one of them another path: on its class, with @WebSocketEndpoint(\"/another-path\"), or with "
						+ "the property autobahn.websocket.endpoints.other-chat.path.");
	}

	@Test
	void twoEndpointsWithOneName(CapturedOutput output) {
		startFailing(DuplicateNameApp.class);
		assertReport(output,
				"WebSocket endpoint beans 'chat' and 'chatToo' are both named 'chat'. An endpoint's "
						+ "name is its key under autobahn.websocket.endpoints, so it must be unique.",
				"Give one of them another name with @WebSocketEndpoint(name = \"...\").");
	}

	@Test
	void endpointWithoutPath(CapturedOutput output) {
		startFailing(NoPathApp.class);
		assertReport(output, "WebSocket endpoint 'pathless' (" + NoPathEndpoint.class.getName() + ") has no path.",
				"Give it a path with @WebSocketEndpoint(\"/path\") or with the property "
						+ "autobahn.websocket.endpoints.pathless.path.");
	}

	@Test
	void endpointThatOverridesHooksItsReceiveFormNeverCalls(CapturedOutput output) {
		startFailing(MixedReceiveApp.class);
		assertReport(output, "WebSocket endpoint 'mixed' (" + MixedReceiveEndpoint.class.getName()
				+ ") overrides onMessage(byte[], boolean), which would never be called: it overrides "
				+ "onMessageFrameData, so it gets its messages frame by frame, through the streaming hooks, and "
				+ "never whole through onMessage.",
				"Receive each message one way: override onMessage(byte[], boolean) or onMessage(ByteBuffer, "
						+ "boolean) for whole messages, or onMessageFrameData(ByteBuffer) (with onMessageBegin, "
						+ "onMessageFrameBegin, onMessageFrameEnd and onMessageEnd as needed) to stream them, in "
						+ "'mixed'.");
	}

	@Test
	void endpointThatIsNotAProtocol(CapturedOutput output) {
		startFailing(NotAProtocolApp.class);
		assertReport(output,
				"Bean 'notAProtocol' is annotated with @WebSocketEndpoint, but " + NotAProtocol.class.getName()
						+ " does not extend " + WebSocketServerProtocol.class.getName() + ".",
				"Make " + NotAProtocol.class.getName()
						+ " extend WebSocketServerProtocol, or remove @WebSocketEndpoint from bean 'notAProtocol'.");
	}

	@Test
	void settingsOfAMisspelledEndpointName(CapturedOutput output) {
		startFailing(ChatApp.class, "--spring.config.location=classpath:/startup-failures/unknown-endpoint.yml");
		assertReport(output,
				"The settings under autobahn.websocket.endpoints.chatt belong to no WebSocket endpoint, so they would "
						+ "be ignored. The endpoints are: 'chat'." + NL + NL
						+ "    Property: autobahn.websocket.endpoints.chatt.port" + NL + "    Value: \"9444\"" + NL
						+ "    Origin: class path resource [startup-failures/unknown-endpoint.yml] - 5:15",
				"Correct the endpoint name in the key (it is the endpoint's bean name, or the name its "
						+ "@WebSocketEndpoint(name = ...) gives), or remove the settings.");
	}

	@Test
	void settingsUnderTheBeanNameOfARenamedEndpoint(CapturedOutput output) {
		startFailing(ChatApp.class, "--autobahn.websocket.endpoints.chatEndpoint.allowed-origins=https://a.example");
		assertReport(output, "The settings under autobahn.websocket.endpoints.chatEndpoint belong to no WebSocket "
				+ "endpoint, so they would be ignored. 'chatEndpoint' is the bean name of the endpoint named 'chat' "
				+ "(by @WebSocketEndpoint(name = \"chat\")), and settings go by the name." + NL + NL
				+ "    Property: autobahn.websocket.endpoints.chatEndpoint.allowed-origins" + NL
				+ "    Value: \"https://a.example\"" + NL
				+ "    Origin: \"autobahn.websocket.endpoints.chatEndpoint.allowed-origins\" from property source "
				+ "\"commandLineArgs\"", "Move the settings to autobahn.websocket.endpoints.chat.");
	}

	@Test
	void misspelledKeyInAnEndpointBlock(CapturedOutput output) {
		startFailing(ChatApp.class, "--spring.config.location=classpath:/startup-failures/unknown-key.yml");
		assertPropertyReport(output, "autobahn.websocket.endpoints.chat.max-mesage-payload-size", "2MB",
				"class path resource [startup-failures/unknown-key.yml] - 5:34",
				"The elements [autobahn.websocket.endpoints.chat.max-mesage-payload-size] were left unbound.");
	}

	@Test
	void misspelledTopLevelKey(CapturedOutput output) {
		startFailing(ChatApp.class, "--autobahn.websocket.auto-ping-intervall=5s");
		assertPropertyReport(output, "autobahn.websocket.auto-ping-intervall", "5s",
				"\"autobahn.websocket.auto-ping-intervall\" from property source \"commandLineArgs\"",
				"The elements [autobahn.websocket.auto-ping-intervall] were left unbound.");
	}

	@Test
	void invalidTopLevelValue(CapturedOutput output) {
		startFailing(ChatApp.class, "--spring.config.location=classpath:/startup-failures/invalid-value.yml");
		assertPropertyReport(output, "autobahn.websocket.maxMessagePayloadSize", "-5B",
				"class path resource [startup-failures/invalid-value.yml] - 3:31", "must be positive");
	}

	@Test
	void invalidValueInAnEndpointBlock(CapturedOutput output) {
		startFailing(ChatApp.class, "--autobahn.websocket.endpoints.chat.auto-ping-size=7");
		assertPropertyReport(output, "autobahn.websocket.endpoints.chat.autoPingSize", "7",
				"\"autobahn.websocket.endpoints.chat.auto-ping-size\" from property source \"commandLineArgs\"",
				"must be between 12 and 125 bytes (an 8-byte timestamp, a 4-byte sequence number and padding, in a "
						+ "control frame)");
	}

	@Test
	void sslBundleWithoutAPort(CapturedOutput output) {
		startFailing(ChatApp.class, "--autobahn.websocket.endpoints.chat.ssl-bundle=ws-tls");
		assertPropertyReport(output, "autobahn.websocket.endpoints.chat.sslBundle", "ws-tls",
				"\"autobahn.websocket.endpoints.chat.ssl-bundle\" from property source \"commandLineArgs\"",
				"needs a dedicated port: set autobahn.websocket.endpoints.chat.port too (the application's own port "
						+ "is secured with server.ssl.*)");
	}

	@Test
	void twoEndpointsSharingAPortWithDifferentSslBundles(CapturedOutput output) {
		startFailing(ChatAndTickerApp.class, "--autobahn.websocket.endpoints.chat.port=0",
				"--autobahn.websocket.endpoints.chat.ssl-bundle=ws-tls",
				"--autobahn.websocket.endpoints.ticker.port=0");
		assertReport(output,
				"WebSocket endpoints 'chat' and 'ticker' share port 0 but not its ssl-bundle ('ws-tls' "
						+ "and none): endpoints that give the same port share one server, and so its TLS.",
				"Give both endpoints the same ssl-bundle (autobahn.websocket.endpoints.<name>.ssl-bundle), or "
						+ "different ports.");
	}

	@Test
	void unknownSslBundle(CapturedOutput output) {
		startFailing(ChatApp.class, "--autobahn.websocket.endpoints.chat.port=0",
				"--autobahn.websocket.endpoints.chat.ssl-bundle=missing");
		assertReport(output,
				"WebSocket endpoint 'chat' names ssl-bundle 'missing', but the application has no SSL bundle of "
						+ "that name.",
				"Define the bundle under spring.ssl.bundle.jks.missing or spring.ssl.bundle.pem.missing, or correct "
						+ "autobahn.websocket.endpoints.chat.ssl-bundle.");
	}

	@Test
	void dedicatedPortInUse(CapturedOutput output) throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			int port = taken.getLocalPort();
			startFailing(ChatApp.class, "--autobahn.websocket.endpoints.chat.port=" + port);
			assertReport(output, "Port " + port + " of WebSocket endpoint 'chat' is already in use.",
					"Identify and stop the process that is listening on port " + port + ", or give the endpoint "
							+ "another port with autobahn.websocket.endpoints.chat.port (0 picks a free one).");
		}
	}

	@Test
	void dedicatedPortWithReactorNettyButWithoutWebFlux(CapturedOutput output) {
		ResourceLoader withoutWebFlux = new DefaultResourceLoader(
				new FilteredClassLoader("org.springframework.web.reactive"));
		startFailing(withoutWebFlux, ChatApp.class, "--autobahn.websocket.endpoints.chat.port=0");
		assertReport(output,
				"WebSocket endpoint 'chat' has a dedicated port (0), which is served by Reactor Netty, "
						+ "but org.springframework:spring-webflux is not on the classpath.",
				"Add org.springframework:spring-webflux to the application's dependencies, or remove "
						+ "autobahn.websocket.endpoints.chat.port to serve the endpoint on the application's server "
						+ "port.");
	}

	private static void startFailing(Class<?> application, String... args) {
		startFailing(null, application, args);
	}

	private static void startFailing(ResourceLoader resourceLoader, Class<?> application, String... args) {
		SpringApplication springApplication = new SpringApplication(resourceLoader, application);
		springApplication.setWebApplicationType(WebApplicationType.SERVLET);
		springApplication.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1",
				"spring.main.banner-mode", "off", "spring.main.log-startup-info", "false"));
		assertThatException().isThrownBy(() -> springApplication.run(args).close());
	}

	private static void assertReport(CapturedOutput output, String description, String action) {
		assertThat(report(output))
			.contains("Description:" + NL + NL + description + NL + NL + "Action:" + NL + NL + action + NL);
	}

	private static void assertPropertyReport(CapturedOutput output, String property, String value, String origin,
			String reason) {
		assertThat(report(output))
			.contains(NL + NL + "    Property: " + property + NL + "    Value: \"" + value + "\"" + NL + "    Origin: "
					+ origin + NL + "    Reason: " + reason + NL)
			.contains("Action:" + NL + NL + "Update your application's configuration" + NL);
	}

	private static String report(CapturedOutput output) {
		String all = output.toString();
		assertThat(all).doesNotContain(NL + "\tat ").doesNotContain("Caused by:");
		int start = all.indexOf("APPLICATION FAILED TO START");
		assertThat(start).as("the failure report in%n%s", all).isNotNegative();
		return all.substring(start);
	}

	@WebSocketEndpoint(path = "/chat", name = "chat")
	static class ChatEndpoint extends WebSocketServerProtocol {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ChatApp {

		@Bean
		ChatEndpoint chatEndpoint() {
			return new ChatEndpoint();
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class SingletonApp {

		@Bean
		@Scope("singleton")
		ChatEndpoint chat() {
			return new ChatEndpoint();
		}

	}

	@WebSocketEndpoint("/chat")
	static class OtherChatEndpoint extends WebSocketServerProtocol {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class DuplicatePathApp {

		@Bean
		ChatEndpoint chat() {
			return new ChatEndpoint();
		}

		@Bean
		OtherChatEndpoint otherChat() {
			return new OtherChatEndpoint();
		}

	}

	@WebSocketEndpoint(path = "/chat-too", name = "chat")
	static class ChatTooEndpoint extends WebSocketServerProtocol {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class DuplicateNameApp {

		@Bean
		ChatEndpoint chat() {
			return new ChatEndpoint();
		}

		@Bean
		ChatTooEndpoint chatToo() {
			return new ChatTooEndpoint();
		}

	}

	@WebSocketEndpoint
	static class NoPathEndpoint extends WebSocketServerProtocol {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class NoPathApp {

		@Bean
		NoPathEndpoint pathless() {
			return new NoPathEndpoint();
		}

	}

	@WebSocketEndpoint("/mixed")
	static class MixedReceiveEndpoint extends WebSocketServerProtocol {

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
		}

		@Override
		public void onMessageFrameData(ByteBuffer payload) {
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class MixedReceiveApp {

		@Bean
		@Scope("prototype")
		MixedReceiveEndpoint mixed() {
			return new MixedReceiveEndpoint();
		}

	}

	@WebSocketEndpoint("/not-a-protocol")
	static class NotAProtocol {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class NotAProtocolApp {

		@Bean
		NotAProtocol notAProtocol() {
			return new NotAProtocol();
		}

	}

	@WebSocketEndpoint(path = "/ticker", name = "ticker")
	static class TickerEndpoint extends WebSocketServerProtocol {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ChatAndTickerApp {

		@Bean
		ChatEndpoint chatEndpoint() {
			return new ChatEndpoint();
		}

		@Bean
		TickerEndpoint tickerEndpoint() {
			return new TickerEndpoint();
		}

	}

}
