package io.autobahn.spring.websocket.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.core.ConnectionRegistry;
import io.autobahn.spring.websocket.core.EndpointBudgets;
import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.core.EndpointSettings;
import io.autobahn.spring.websocket.core.ProtocolFactory;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.core.ServerEndpoints;
import io.autobahn.spring.websocket.core.WebSocketBudgets;
import io.autobahn.spring.websocket.servlet.ProtocolWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration's conditions and startup checks, one context per branch: which
 * beans a servlet, reactive or non-web application gets, that every
 * {@code @ConditionalOnMissingBean} bean yields to the user's, that misdeclared endpoints
 * and invalid settings fail startup with the exception that carries the facts (the report
 * the user sees is {@link StartupFailureTests}'), and how defaults and per-endpoint
 * settings combine. (spring-webflux is not on this module's test classpath, so the
 * reactive case proves only that the servlet adapter stays away.)
 */
class AutobahnWebSocketAutoConfigurationTests {

	private static final AutoConfigurations AUTO_CONFIGURATIONS = AutoConfigurations
		.of(AutobahnWebSocketAutoConfiguration.class, AutobahnServletWebSocketAutoConfiguration.class);

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AUTO_CONFIGURATIONS);

	@Test
	void servletWebAppWithAnEndpointGetsEndpointsRegistryFactoryAndAHandlerMappingForItsPath() {
		this.runner.withUserConfiguration(EchoEndpoint.class).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(ServerEndpoints.class)
				.hasSingleBean(ConnectionRegistry.class)
				.hasSingleBean(ProtocolFactory.class)
				.hasSingleBean(ProtocolWebSocketHandler.class)
				.hasBean(AutobahnWebSocketAutoConfiguration.TIMER_BEAN_NAME);
			assertThat(context.getBean(ServerEndpoints.class).endpoints()).singleElement()
				.satisfies((endpoint) -> assertThat(endpoint.getDefinition().path()).isEqualTo("/echo"));
			WebSocketHandlerMapping mapping = context.getBean(
					AutobahnServletWebSocketAutoConfiguration.HANDLER_MAPPING_BEAN_NAME, WebSocketHandlerMapping.class);
			assertThat(mapping.getHandlerMap()).containsOnlyKeys("/echo");
			assertThat(mapping.getHandlerMap().get("/echo")).isInstanceOf(WebSocketHttpRequestHandler.class);
		});
	}

	@Test
	void nonWebAppGetsNoneOfTheBeans() {
		new ApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.withUserConfiguration(EchoEndpoint.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ServerEndpoints.class)
				.doesNotHaveBean(ConnectionRegistry.class)
				.doesNotHaveBean(ProtocolFactory.class)
				.doesNotHaveBean(AutobahnWebSocketAutoConfiguration.TIMER_BEAN_NAME)
				.doesNotHaveBean(ProtocolWebSocketHandler.class)
				.doesNotHaveBean(AutobahnServletWebSocketAutoConfiguration.HANDLER_MAPPING_BEAN_NAME));
	}

	@Test
	void reactiveWebAppGetsNoServletHandlerMapping() {
		new ReactiveWebApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.withUserConfiguration(EchoEndpoint.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ProtocolWebSocketHandler.class)
				.doesNotHaveBean(AutobahnServletWebSocketAutoConfiguration.HANDLER_MAPPING_BEAN_NAME));
	}

	@Test
	void withoutSpringWebSocketOnTheClasspathThereAreNoServletBeans() {
		this.runner.withUserConfiguration(EchoEndpoint.class)
			.withClassLoader(new FilteredClassLoader(WebSocketHandler.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ServerEndpoints.class)
				.doesNotHaveBean(ProtocolWebSocketHandler.class)
				.doesNotHaveBean(AutobahnServletWebSocketAutoConfiguration.HANDLER_MAPPING_BEAN_NAME));
	}

	@Test
	void userConnectionRegistryReplacesTheDefault() {
		this.runner.withUserConfiguration(EchoEndpoint.class, UserConnectionRegistryConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ConnectionRegistry.class)
				.getBean(ConnectionRegistry.class)
				.isSameAs(context.getBean("userConnectionRegistry")));
	}

	@Test
	void userProtocolFactoryReplacesTheDefaultAndCreatesTheProtocols() {
		this.runner.withUserConfiguration(EchoEndpoint.class, UserProtocolFactoryConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(ProtocolFactory.class);
			CountingProtocolFactory factory = context.getBean(CountingProtocolFactory.class);
			ServerEndpoint endpoint = context.getBean(ServerEndpoints.class).endpoints().get(0);
			endpoint.connect(request()).join();
			assertThat(factory.last).isInstanceOf(EchoEndpoint.class);
			assertThat(factory.created).hasValue(1);
		});
	}

	@Test
	void userProtocolWebSocketHandlerReplacesTheDefaultAndServesTheEndpoints() {
		this.runner.withUserConfiguration(EchoEndpoint.class, UserHandlerConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(ProtocolWebSocketHandler.class);
			WebSocketHandlerMapping mapping = context.getBean(
					AutobahnServletWebSocketAutoConfiguration.HANDLER_MAPPING_BEAN_NAME, WebSocketHandlerMapping.class);
			WebSocketHandler handler = ((WebSocketHttpRequestHandler) mapping.getHandlerMap().get("/echo"))
				.getWebSocketHandler();
			assertThat(WebSocketHandlerDecorator.unwrap(handler))
				.isSameAs(context.getBean("userProtocolWebSocketHandler"));
		});
	}

	@Test
	void userBeanNamedAutobahnWebSocketHandlerMappingReplacesTheDefault() {
		this.runner.withUserConfiguration(EchoEndpoint.class, UserHandlerMappingConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(AutobahnServletWebSocketAutoConfiguration.HANDLER_MAPPING_BEAN_NAME)
				.isInstanceOf(SimpleUrlHandlerMapping.class)
				.isNotInstanceOf(WebSocketHandlerMapping.class));
	}

	@Test
	void userBeanNamedAutobahnWebSocketTimerReplacesTheDefault() {
		this.runner.withUserConfiguration(EchoEndpoint.class, UserTimerConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ScheduledExecutorService.class)
				.getBean(AutobahnWebSocketAutoConfiguration.TIMER_BEAN_NAME)
				.isInstanceOf(UserTimer.class));
	}

	@Test
	void endpointDeclaredSingletonFailsStartup() {
		this.runner.withUserConfiguration(SingletonEndpoint.class)
			.run((context) -> assertThat(rootCause(context)).isInstanceOfSatisfying(
					EndpointConfigurationException.NotPrototype.class,
					(ex) -> assertThat(ex.getScope()).isEqualTo("singleton")));
	}

	@Test
	void endpointFromABeanMethodWithoutScopeBecomesPrototype() {
		this.runner.withUserConfiguration(BeanMethodEndpointConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("beanMethodEndpoint")).isNotSameAs(context.getBean("beanMethodEndpoint"));
			assertThat(context.getBean(ServerEndpoints.class).endpoints()).singleElement()
				.satisfies(
						(endpoint) -> assertThat(endpoint.getDefinition().beanName()).isEqualTo("beanMethodEndpoint"));
		});
	}

	@Test
	void endpointFromABeanMethodWithSingletonScopeFailsStartup() {
		this.runner.withUserConfiguration(SingletonBeanMethodEndpointConfiguration.class)
			.run((context) -> assertThat(rootCause(context)).isInstanceOfSatisfying(
					EndpointConfigurationException.NotPrototype.class,
					(ex) -> assertThat(ex.getBeanName()).isEqualTo("singletonBeanMethodEndpoint")));
	}

	@Test
	void endpointWithoutPathFailsStartup() {
		this.runner.withUserConfiguration(NoPathEndpoint.class)
			.run((context) -> assertThat(rootCause(context))
				.isInstanceOfSatisfying(EndpointConfigurationException.NoPath.class, (ex) -> {
					assertThat(ex.getEndpointName()).isEqualTo("noPath");
					assertThat(ex.getAction()).contains("autobahn.websocket.endpoints.no-path.path");
				}));
	}

	@Test
	void twoEndpointsOnOnePathFailStartup() {
		this.runner.withUserConfiguration(EchoEndpoint.class, OtherEchoEndpoint.class)
			.run((context) -> assertThat(rootCause(context))
				.isInstanceOfSatisfying(EndpointConfigurationException.DuplicatePath.class, (ex) -> {
					assertThat(ex.getPath()).isEqualTo("/echo");
					assertThat(ex.getEndpointNames()).containsExactlyInAnyOrder("echo", "otherEcho");
				}));
	}

	@Test
	void twoEndpointsWithOneNameFailStartup() {
		this.runner.withUserConfiguration(NamedEndpoint.class, SameNamedEndpoint.class)
			.run((context) -> assertThat(rootCause(context)).isInstanceOfSatisfying(
					EndpointConfigurationException.DuplicateName.class,
					(ex) -> assertThat(ex.getEndpointName()).isEqualTo("same")));
	}

	@Test
	void webSocketEndpointThatIsNotAWebSocketServerProtocolFailsStartup() {
		this.runner.withUserConfiguration(NotAProtocolEndpoint.class)
			.run((context) -> assertThat(rootCause(context)).isInstanceOfSatisfying(
					EndpointConfigurationException.NotAProtocol.class,
					(ex) -> assertThat(ex.getMessage()).contains(NotAProtocolEndpoint.class.getName())
						.contains("does not extend " + WebSocketServerProtocol.class.getName())));
	}

	@Test
	void autoPingSizeBelow12FailsStartup() {
		this.runner.withUserConfiguration(EchoEndpoint.class)
			.withPropertyValues("autobahn.websocket.auto-ping-size=5")
			.run((context) -> assertThat(fieldError(context)).satisfies((error) -> {
				assertThat(error.getObjectName()).isEqualTo("autobahn.websocket");
				assertThat(error.getField()).isEqualTo("autoPingSize");
				assertThat(error.getRejectedValue()).isEqualTo(5);
				assertThat(error.getDefaultMessage()).startsWith("must be between 12 and 125 bytes");
			}));
	}

	@Test
	void zeroMaxMessagePayloadSizeFailsStartup() {
		this.runner.withUserConfiguration(EchoEndpoint.class)
			.withPropertyValues("autobahn.websocket.endpoints.echo.max-message-payload-size=0")
			.run((context) -> assertThat(fieldError(context)).satisfies((error) -> {
				assertThat(error.getObjectName()).isEqualTo("autobahn.websocket.endpoints.echo");
				assertThat(error.getField()).isEqualTo("maxMessagePayloadSize");
				assertThat(error.getDefaultMessage()).isEqualTo("must be positive");
			}));
	}

	@Test
	void defaultsApplyToEveryEndpointAndEndpointSettingsOverrideOne() {
		this.runner.withUserConfiguration(EchoEndpoint.class, NamedEndpoint.class)
			.withPropertyValues("autobahn.websocket.max-message-payload-size=2MB",
					"autobahn.websocket.auto-ping-size=20", "autobahn.websocket.auto-ping-interval=30s",
					"autobahn.websocket.subprotocols=a,b",
					"autobahn.websocket.endpoints.same.max-message-payload-size=3MB",
					"autobahn.websocket.endpoints.same.subprotocols=c",
					"autobahn.websocket.endpoints.same.per-message-compression=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Map<String, EndpointSettings> settings = settingsByName(context);
				EndpointSettings echo = settings.get("echo");
				assertThat(echo.maxMessagePayloadSize()).isEqualTo(2 * 1024 * 1024);
				assertThat(echo.autoPingSize()).isEqualTo(20);
				assertThat(echo.autoPingInterval()).isEqualTo(Duration.ofSeconds(30));
				assertThat(echo.subprotocols()).containsExactly("a", "b");
				assertThat(echo.perMessageCompression()).isTrue();
				EndpointSettings same = settings.get("same");
				assertThat(same.maxMessagePayloadSize()).isEqualTo(3 * 1024 * 1024);
				assertThat(same.autoPingSize()).isEqualTo(20);
				assertThat(same.autoPingInterval()).isEqualTo(Duration.ofSeconds(30));
				assertThat(same.subprotocols()).containsExactly("c");
				assertThat(same.perMessageCompression()).isFalse();
			});
	}

	@Test
	void settingsHaveAutobahnsDefaultsWhenNothingIsConfigured() {
		this.runner.withUserConfiguration(EchoEndpoint.class).run((context) -> {
			EndpointSettings echo = settingsByName(context).get("echo");
			assertThat(echo.maxMessagePayloadSize()).isEqualTo(1024 * 1024);
			assertThat(echo.maxFramePayloadSize()).isZero();
			assertThat(echo.maxStreamedMessageSize()).isEqualTo(EndpointSettings.DEFAULT_MAX_STREAMED_MESSAGE_SIZE)
				.isEqualTo(1024L * 1024 * 1024);
			assertThat(echo.autoFragmentSize()).isZero();
			assertThat(echo.openHandshakeTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(echo.isOpenHandshakeTimeoutSet()).isFalse();
			assertThat(echo.closeHandshakeTimeout()).isEqualTo(Duration.ofSeconds(1));
			assertThat(echo.isAutoPingEnabled()).isFalse();
			assertThat(echo.autoPingSize()).isEqualTo(12);
			assertThat(echo.perMessageCompression()).isTrue();
			assertThat(echo.allowedOrigins()).isEmpty();
			assertThat(echo.subprotocols()).isEmpty();
		});
	}

	@Test
	void budgetsDefaultToAQuarterOfTheHeapWithoutConnectionLimits() {
		this.runner.withUserConfiguration(EchoEndpoint.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(WebSocketBudgets.class);
			WebSocketBudgets budgets = context.getBean(WebSocketBudgets.class);
			assertThat(budgets.getInbound().getLimit()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
			assertThat(budgets.getOutbound().getLimit()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
			assertThat(budgets.getConnections().isLimited()).isFalse();
			EndpointBudgets echo = budgets.getEndpoints().get("echo");
			assertThat(echo.getInbound().isLimited()).isFalse();
			assertThat(echo.getInbound().getParent()).isSameAs(budgets.getInbound());
			assertThat(echo.getConnections().isLimited()).isFalse();
			assertThat(context.getBean(ServerEndpoints.class).endpoints()).singleElement()
				.satisfies((endpoint) -> assertThat(endpoint.getBudgets()).isSameAs(echo));
		});
	}

	@Test
	void applicationLimitsAndEachEndpointsOwnAreBound() {
		this.runner.withUserConfiguration(EchoEndpoint.class, NamedEndpoint.class)
			.withPropertyValues("autobahn.websocket.application.max-connections=1000",
					"autobahn.websocket.application.inbound-budget=64MB",
					"autobahn.websocket.application.outbound-budget=32MB", "autobahn.websocket.max-connections=100",
					"autobahn.websocket.endpoints.same.max-connections=10",
					"autobahn.websocket.endpoints.same.inbound-budget=8MB",
					"autobahn.websocket.endpoints.same.outbound-budget=4MB")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				WebSocketBudgets budgets = context.getBean(WebSocketBudgets.class);
				assertThat(budgets.getConnections().getLimit()).isEqualTo(1000);
				assertThat(budgets.getInbound().getLimit()).isEqualTo(64L * 1024 * 1024);
				assertThat(budgets.getOutbound().getLimit()).isEqualTo(32L * 1024 * 1024);
				EndpointBudgets echo = budgets.getEndpoints().get("echo");
				assertThat(echo.getConnections().getLimit()).isEqualTo(100);
				assertThat(echo.getInbound().isLimited()).isFalse();
				EndpointBudgets same = budgets.getEndpoints().get("same");
				assertThat(same.getConnections().getLimit()).isEqualTo(10);
				assertThat(same.getInbound().getLimit()).isEqualTo(8L * 1024 * 1024);
				assertThat(same.getOutbound().getLimit()).isEqualTo(4L * 1024 * 1024);
				assertThat(settingsByName(context).get("same").maxConnections()).isEqualTo(10);
			});
	}

	@Test
	void zeroMaxConnectionsFailsStartupSayingToLeaveItUnset() {
		this.runner.withUserConfiguration(EchoEndpoint.class)
			.withPropertyValues("autobahn.websocket.endpoints.echo.max-connections=0")
			.run((context) -> assertThat(fieldError(context)).satisfies((error) -> {
				assertThat(error.getObjectName()).isEqualTo("autobahn.websocket.endpoints.echo");
				assertThat(error.getField()).isEqualTo("maxConnections");
				assertThat(error.getRejectedValue()).isEqualTo(0);
				assertThat(error.getDefaultMessage())
					.isEqualTo("must be positive (leave it unset for no limit of the endpoint's own)");
			}));
		this.runner.withUserConfiguration(EchoEndpoint.class)
			.withPropertyValues("autobahn.websocket.application.max-connections=-1")
			.run((context) -> assertThat(fieldError(context)).satisfies((error) -> {
				assertThat(error.getObjectName()).isEqualTo("autobahn.websocket.application");
				assertThat(error.getField()).isEqualTo("maxConnections");
				assertThat(error.getRejectedValue()).isEqualTo(-1);
				assertThat(error.getDefaultMessage()).isEqualTo("must be positive (leave it unset for no limit)");
			}));
	}

	@Test
	void nonPositiveBudgetsFailStartup() {
		this.runner.withUserConfiguration(EchoEndpoint.class)
			.withPropertyValues("autobahn.websocket.application.inbound-budget=0")
			.run((context) -> assertThat(fieldError(context)).satisfies((error) -> {
				assertThat(error.getObjectName()).isEqualTo("autobahn.websocket.application");
				assertThat(error.getField()).isEqualTo("inboundBudget");
				assertThat(error.getDefaultMessage()).startsWith("must be positive");
			}));
		this.runner.withUserConfiguration(EchoEndpoint.class)
			.withPropertyValues("autobahn.websocket.outbound-budget=0")
			.run((context) -> assertThat(fieldError(context)).satisfies((error) -> {
				assertThat(error.getObjectName()).isEqualTo("autobahn.websocket");
				assertThat(error.getField()).isEqualTo("outboundBudget");
				assertThat(error.getDefaultMessage()).startsWith("must be positive");
			}));
	}

	@Test
	void userWebSocketBudgetsReplaceTheDefault() {
		this.runner.withUserConfiguration(EchoEndpoint.class, UserBudgetsConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(WebSocketBudgets.class)
				.isSameAs(context.getBean(UserBudgetsConfiguration.class).budgets));
	}

	private static Map<String, EndpointSettings> settingsByName(ApplicationContext context) {
		return context.getBean(ServerEndpoints.class)
			.endpoints()
			.stream()
			.map(ServerEndpoint::getDefinition)
			.collect(Collectors.toMap(EndpointDefinition::name, EndpointDefinition::settings));
	}

	private static Throwable rootCause(AssertableWebApplicationContext context) {
		assertThat(context).hasFailed();
		return NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
	}

	private static FieldError fieldError(AssertableWebApplicationContext context) {
		assertThat(rootCause(context)).isInstanceOf(BindValidationException.class);
		List<ObjectError> errors = ((BindValidationException) rootCause(context)).getValidationErrors().getAllErrors();
		assertThat(errors).singleElement().isInstanceOf(FieldError.class);
		return (FieldError) errors.get(0);
	}

	private static ConnectionRequest request() {
		HttpHeaders headers = new HttpHeaders();
		// The sample key of RFC 6455 1.3.
		headers.set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
		return new ConnectionRequest("tcp4:127.0.0.1:1234", headers, "localhost", "/echo", new LinkedMultiValueMap<>(),
				13, null, List.of(), List.of(), null, new LinkedMultiValueMap<>());
	}

	@WebSocketEndpoint(path = "/echo", name = "echo")
	static class EchoEndpoint extends WebSocketServerProtocol {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBudgetsConfiguration {

		final WebSocketBudgets budgets = WebSocketBudgets.unlimited();

		@Bean
		WebSocketBudgets userBudgets() {
			return this.budgets;
		}

	}

	@WebSocketEndpoint(path = "/echo", name = "otherEcho")
	static class OtherEchoEndpoint extends WebSocketServerProtocol {

	}

	@WebSocketEndpoint(path = "/named", name = "same")
	static class NamedEndpoint extends WebSocketServerProtocol {

	}

	@WebSocketEndpoint(path = "/same-named", name = "same")
	static class SameNamedEndpoint extends WebSocketServerProtocol {

	}

	@WebSocketEndpoint(name = "noPath")
	static class NoPathEndpoint extends WebSocketServerProtocol {

	}

	@WebSocketEndpoint("/singleton")
	@Scope(ConfigurableBeanFactory.SCOPE_SINGLETON)
	static class SingletonEndpoint extends WebSocketServerProtocol {

	}

	@WebSocketEndpoint("/not-a-protocol")
	static class NotAProtocolEndpoint {

	}

	@WebSocketEndpoint("/bean-method")
	static class BeanMethodEndpoint extends WebSocketServerProtocol {

	}

	@Configuration(proxyBeanMethods = false)
	static class BeanMethodEndpointConfiguration {

		@Bean
		BeanMethodEndpoint beanMethodEndpoint() {
			return new BeanMethodEndpoint();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SingletonBeanMethodEndpointConfiguration {

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_SINGLETON)
		BeanMethodEndpoint singletonBeanMethodEndpoint() {
			return new BeanMethodEndpoint();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConnectionRegistryConfiguration {

		@Bean
		ConnectionRegistry userConnectionRegistry() {
			return new ConnectionRegistry();
		}

	}

	static class CountingProtocolFactory implements ProtocolFactory {

		final AtomicInteger created = new AtomicInteger();

		volatile WebSocketServerProtocol last;

		@Override
		public WebSocketServerProtocol create(EndpointDefinition endpoint) {
			this.created.incrementAndGet();
			this.last = new EchoEndpoint();
			return this.last;
		}

		@Override
		public void destroy(EndpointDefinition endpoint, WebSocketServerProtocol protocol) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserProtocolFactoryConfiguration {

		@Bean
		CountingProtocolFactory userProtocolFactory() {
			return new CountingProtocolFactory();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserHandlerConfiguration {

		@Bean
		ProtocolWebSocketHandler userProtocolWebSocketHandler() {
			return new ProtocolWebSocketHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserHandlerMappingConfiguration {

		@Bean(AutobahnServletWebSocketAutoConfiguration.HANDLER_MAPPING_BEAN_NAME)
		SimpleUrlHandlerMapping userHandlerMapping() {
			return new SimpleUrlHandlerMapping();
		}

	}

	static class UserTimer extends ScheduledThreadPoolExecutor {

		UserTimer() {
			super(1);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserTimerConfiguration {

		@Bean(AutobahnWebSocketAutoConfiguration.TIMER_BEAN_NAME)
		UserTimer userTimer() {
			return new UserTimer();
		}

	}

}
