package io.autobahn.spring.websocket.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.javapoet.ClassName;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketProtocol;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring's ahead-of-time processing of a context with endpoints, as
 * {@code spring-boot:process-aot} runs it: each endpoint's protocol class and its
 * superclasses up to {@link WebSocketProtocol} are registered for reflection (hook
 * detection looks their methods up), endpoints declared with {@code @Bean} included, and
 * the endpoints the generated bean factory will hold are prototype-scoped. The sample's
 * {@code EchoApplicationAotIT} runs an application processed this way on every stack.
 */
class WebSocketEndpointBeanFactoryInitializationAotProcessorTests {

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	@Test
	void registeredForAheadOfTimeProcessing() {
		assertThat(AotServices.factories().load(BeanFactoryInitializationAotProcessor.class))
			.hasAtLeastOneElementOfType(WebSocketEndpointBeanFactoryInitializationAotProcessor.class);
	}

	@Test
	void protocolClassesOfScannedAndBeanMethodEndpointsAndTheirSuperclassesAreRegistered() {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.register(EndpointsConfiguration.class);
			RuntimeHints hints = processAheadOfTime(context);
			assertThat(this.reflection.onType(EchoEndpoint.class)).accepts(hints);
			assertThat(this.reflection.onType(GreetingEndpoint.class)).accepts(hints);
			assertThat(this.reflection.onType(GreetingBase.class)).accepts(hints);
			assertThat(this.reflection.onType(WebSocketServerProtocol.class)).accepts(hints);
			assertThat(this.reflection.onType(WebSocketProtocol.class)).accepts(hints);
			assertThat(this.reflection.onType(Object.class)).rejects(hints);
			// What the generated bean definitions carry: the @Bean method had no @Scope.
			assertThat(context.getBeanFactory().getBeanDefinition("greeting").getScope())
				.isEqualTo(BeanDefinition.SCOPE_PROTOTYPE);
			assertThat(context.getBeanFactory().getBeanDefinition(EchoEndpoint.class.getName()).getScope())
				.isEqualTo(BeanDefinition.SCOPE_PROTOTYPE);
		}
	}

	@Test
	void nothingIsRegisteredWithoutEndpoints() {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.register(NoEndpointConfiguration.class);
			RuntimeHints hints = processAheadOfTime(context);
			assertThat(this.reflection.onType(WebSocketProtocol.class)).rejects(hints);
			assertThat(this.reflection.onType(WebSocketServerProtocol.class)).rejects(hints);
		}
	}

	private static RuntimeHints processAheadOfTime(AnnotationConfigApplicationContext context) {
		DefaultGenerationContext generationContext = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "App")), new InMemoryGeneratedFiles());
		new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
		return generationContext.getRuntimeHints();
	}

	@Configuration(proxyBeanMethods = false)
	@Import(EchoEndpoint.class)
	static class EndpointsConfiguration {

		@Bean
		static WebSocketEndpointScopePostProcessor scopePostProcessor() {
			return new WebSocketEndpointScopePostProcessor();
		}

		@Bean
		GreetingEndpoint greeting() {
			return new GreetingEndpoint("hello");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NoEndpointConfiguration {

		@Bean
		static WebSocketEndpointScopePostProcessor scopePostProcessor() {
			return new WebSocketEndpointScopePostProcessor();
		}

		@Bean
		String notAnEndpoint() {
			return "plain";
		}

	}

	@WebSocketEndpoint("/echo")
	static class EchoEndpoint extends WebSocketServerProtocol {

	}

	abstract static class GreetingBase extends WebSocketServerProtocol {

	}

	@WebSocketEndpoint("/greeting")
	static class GreetingEndpoint extends GreetingBase {

		private final String greeting;

		GreetingEndpoint(String greeting) {
			this.greeting = greeting;
		}

		@Override
		public void onOpen() {
			sendMessage(this.greeting);
		}

	}

}
