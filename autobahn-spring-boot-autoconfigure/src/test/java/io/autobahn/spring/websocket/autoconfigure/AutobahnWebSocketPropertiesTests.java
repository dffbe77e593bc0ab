package io.autobahn.spring.websocket.autoconfigure;

import java.beans.PropertyDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.ServerEndpoints;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code autobahn.websocket.*} is bound: strictly (a misspelled key or endpoint name
 * fails startup), with Spring Boot's relaxed names and environment variables, each
 * endpoint's block overriding only the options it sets, and "not set" told apart from
 * "set to the default". The reports the user sees for these failures are in
 * {@link StartupFailureTests}.
 */
class AutobahnWebSocketPropertiesTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AutobahnWebSocketAutoConfiguration.class))
		.withUserConfiguration(ChatEndpoint.class, EchoServerProtocol.class);

	@Test
	void endpointBlockStartsWithEveryOptionUnset() {
		AutobahnWebSocketProperties.Endpoint block = new AutobahnWebSocketProperties.Endpoint();
		for (PropertyDescriptor option : BeanUtils.getPropertyDescriptors(WebSocketOptions.class)) {
			if (option.getReadMethod() != null && option.getWriteMethod() != null) {
				assertThat(
						BeanUtils.getPropertyDescriptor(AutobahnWebSocketProperties.Endpoint.class, option.getName()))
					.satisfies((property) -> assertThat(property.getReadMethod().invoke(block)).as(option.getName())
						.isNull());
			}
		}
	}

	@Test
	void misspelledKeyInAnEndpointBlockFailsStartup() {
		this.runner.withPropertyValues("autobahn.websocket.endpoints.chat.max-mesage-payload-size=2MB")
			.run((context) -> assertThat(unboundNames(context))
				.containsExactly("autobahn.websocket.endpoints.chat.max-mesage-payload-size"));
	}

	@Test
	void misspelledTopLevelKeyFailsStartup() {
		this.runner.withPropertyValues("autobahn.websocket.auto-ping-intervall=5s")
			.run((context) -> assertThat(unboundNames(context))
				.containsExactly("autobahn.websocket.auto-ping-intervall"));
	}

	@Test
	void misspelledKeyInTheApplicationsLimitsFailsStartup() {
		this.runner.withPropertyValues("autobahn.websocket.application.max-conections=10")
			.run((context) -> assertThat(unboundNames(context))
				.containsExactly("autobahn.websocket.application.max-conections"));
	}

	@Test
	void theApplicationsLimitsAreNoEndpointBlock() {
		this.runner
			.withPropertyValues("autobahn.websocket.application.max-connections=10",
					"autobahn.websocket.application.inbound-budget=64MB")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(AutobahnWebSocketProperties.class).getEndpoints()).isEmpty();
				assertThat(context.getBean(AutobahnWebSocketProperties.class).getApplication().getMaxConnections())
					.isEqualTo(10);
			});
	}

	@Test
	void relaxedNamesBindAtTheTopLevelAndInEndpointBlocks() {
		this.runner
			.withPropertyValues("autobahn.websocket.maxMessagePayloadSize=2MB", "autobahn.websocket.auto_ping_size=20",
					"autobahn.websocket.endpoints.chat.autoPingSize=30",
					"autobahn.websocket.endpoints.chat.send_time_limit=3s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				EndpointSettings chat = settings(context, "chat");
				assertThat(chat.maxMessagePayloadSize()).isEqualTo(2 * 1024 * 1024);
				assertThat(chat.autoPingSize()).isEqualTo(30);
				assertThat(chat.sendTimeLimit()).isEqualTo(Duration.ofSeconds(3));
				assertThat(settings(context, "echoServerProtocol").autoPingSize()).isEqualTo(20);
			});
	}

	@Test
	void environmentVariablesBindAtTheTopLevelAndInEndpointBlocks() {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
								Map.of("AUTOBAHN_WEBSOCKET_MAXMESSAGEPAYLOADSIZE", "2MB",
										"AUTOBAHN_WEBSOCKET_ENDPOINTS_CHAT_AUTOPINGSIZE", "30",
										"AUTOBAHN_WEBSOCKET_ENDPOINTS_ECHOSERVERPROTOCOL_AUTOPINGSIZE", "40"))))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(settings(context, "chat").maxMessagePayloadSize()).isEqualTo(2 * 1024 * 1024);
				assertThat(settings(context, "chat").autoPingSize()).isEqualTo(30);
				assertThat(settings(context, "echoServerProtocol").autoPingSize()).isEqualTo(40);
			});
	}

	@Test
	void endpointBlockMayBeKeyedByTheNameInKebabCase() {
		this.runner.withPropertyValues("autobahn.websocket.endpoints.echo-server-protocol.auto-ping-size=40")
			.run((context) -> assertThat(settings(context, "echoServerProtocol").autoPingSize()).isEqualTo(40));
	}

	@Test
	void endpointBlockOfAnEndpointThatDoesNotExistFailsStartupListingTheEndpoints() {
		this.runner.withPropertyValues("autobahn.websocket.endpoints.chatt.allowed-origins=https://example.com")
			.run((context) -> assertThat(rootCause(context))
				.isInstanceOfSatisfying(EndpointConfigurationException.UnknownName.class, (ex) -> {
					assertThat(ex.getKey()).isEqualTo("chatt");
					assertThat(ex.getEndpointNames()).containsExactlyInAnyOrder("chat", "echoServerProtocol");
					assertThat(ex.getPropertyPrefix()).isEqualTo("autobahn.websocket.endpoints.chatt");
				}));
	}

	@Test
	void endpointBlockKeyedByTheBeanNameOfARenamedEndpointFailsStartupNamingTheName() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AutobahnWebSocketAutoConfiguration.class))
			.withBean("chatEndpoint", ChatEndpoint.class)
			.withPropertyValues("autobahn.websocket.endpoints.chatEndpoint.port=9444")
			.run((context) -> assertThat(rootCause(context)).isInstanceOfSatisfying(
					EndpointConfigurationException.UnknownName.class, (ex) -> assertThat(ex.getAction())
						.isEqualTo("Move the settings to autobahn.websocket.endpoints.chat.")));
	}

	@Test
	void openHandshakeTimeoutSetToItsDefaultIsToldApartFromNotSet() {
		this.runner.withPropertyValues("autobahn.websocket.endpoints.chat.open-handshake-timeout=5s").run((context) -> {
			assertThat(settings(context, "chat").isOpenHandshakeTimeoutSet()).isTrue();
			assertThat(settings(context, "echoServerProtocol").isOpenHandshakeTimeoutSet()).isFalse();
			assertThat(settings(context, "echoServerProtocol").openHandshakeTimeout())
				.isEqualTo(EndpointSettings.DEFAULT_OPEN_HANDSHAKE_TIMEOUT);
		});
	}

	@Test
	void everyOptionCanBeSetForOneEndpoint() {
		String chat = "autobahn.websocket.endpoints.chat.";
		this.runner
			.withPropertyValues(chat + "allowed-origins=https://example.com", chat + "max-message-payload-size=2MB",
					chat + "max-frame-payload-size=64KB", chat + "max-streamed-message-size=64MB",
					chat + "auto-fragment-size=16KB", chat + "open-handshake-timeout=7s",
					chat + "close-handshake-timeout=2s", chat + "auto-ping-interval=20s",
					chat + "auto-ping-timeout=10s", chat + "auto-ping-size=30",
					chat + "auto-ping-restart-on-any-traffic=false", chat + "per-message-compression=false",
					chat + "subprotocols=v2,v1", chat + "send-buffer-size-limit=512KB", chat + "send-time-limit=3s",
					chat + "blocking-hooks=true", chat + "max-connections=50", chat + "inbound-budget=8MB",
					chat + "outbound-budget=4MB")
			.run((context) -> {
				EndpointSettings settings = settings(context, "chat");
				assertThat(settings.allowedOrigins()).containsExactly("https://example.com");
				assertThat(settings.maxMessagePayloadSize()).isEqualTo(2 * 1024 * 1024);
				assertThat(settings.maxFramePayloadSize()).isEqualTo(64 * 1024);
				assertThat(settings.maxStreamedMessageSize()).isEqualTo(64 * 1024 * 1024);
				assertThat(settings.autoFragmentSize()).isEqualTo(16 * 1024);
				assertThat(settings.openHandshakeTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(settings.closeHandshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(settings.autoPingInterval()).isEqualTo(Duration.ofSeconds(20));
				assertThat(settings.autoPingTimeout()).isEqualTo(Duration.ofSeconds(10));
				assertThat(settings.autoPingSize()).isEqualTo(30);
				assertThat(settings.autoPingRestartOnAnyTraffic()).isFalse();
				assertThat(settings.perMessageCompression()).isFalse();
				assertThat(settings.subprotocols()).containsExactly("v2", "v1");
				assertThat(settings.sendBufferSizeLimit()).isEqualTo(512 * 1024);
				assertThat(settings.sendTimeLimit()).isEqualTo(Duration.ofSeconds(3));
				assertThat(settings.blockingHooks()).isTrue();
				assertThat(settings.maxConnections()).isEqualTo(50);
				assertThat(settings.inboundBudget()).isEqualTo(8 * 1024 * 1024);
				assertThat(settings.outboundBudget()).isEqualTo(4 * 1024 * 1024);
			});
	}

	@Test
	void emptyAllowedOriginsInAnEndpointBlockOverridesTheTopLevelOnes() {
		this.runner
			.withPropertyValues("autobahn.websocket.allowed-origins=https://example.com",
					"autobahn.websocket.endpoints.chat.allowed-origins=")
			.run((context) -> {
				assertThat(settings(context, "chat").allowedOrigins()).isEmpty();
				assertThat(settings(context, "echoServerProtocol").allowedOrigins())
					.containsExactly("https://example.com");
			});
	}

	private static EndpointSettings settings(ApplicationContext context, String name) {
		return context.getBean(ServerEndpoints.class)
			.endpoints()
			.stream()
			.filter((endpoint) -> endpoint.getDefinition().name().equals(name))
			.findFirst()
			.orElseThrow()
			.getDefinition()
			.settings();
	}

	private static Throwable rootCause(AssertableWebApplicationContext context) {
		assertThat(context).hasFailed();
		return NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
	}

	private static List<String> unboundNames(AssertableWebApplicationContext context) {
		assertThat(rootCause(context)).isInstanceOf(UnboundConfigurationPropertiesException.class);
		return ((UnboundConfigurationPropertiesException) rootCause(context)).getUnboundProperties()
			.stream()
			.map(ConfigurationProperty::getName)
			.map(Object::toString)
			.toList();
	}

	@WebSocketEndpoint(path = "/chat", name = "chat")
	static class ChatEndpoint extends WebSocketServerProtocol {

	}

	@WebSocketEndpoint(path = "/echo", name = "echoServerProtocol")
	static class EchoServerProtocol extends WebSocketServerProtocol {

	}

}
