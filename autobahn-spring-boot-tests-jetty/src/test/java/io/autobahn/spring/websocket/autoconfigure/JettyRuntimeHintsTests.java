package io.autobahn.spring.websocket.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import org.eclipse.jetty.ee11.websocket.server.JettyWebSocketServerContainer;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

import io.autobahn.spring.websocket.servlet.JettyPartialMessageListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Jetty's WebSocket server present, the hints that Spring's ahead-of-time processing
 * collects from every registrar let a native image find Jetty's server (the servlet stack
 * checks for it at run time) and let Jetty invoke each method of the starter's listener
 * by reflection.
 */
class JettyRuntimeHintsTests {

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	@Test
	void jettysServerAndEveryPublicMethodOfTheListenerAreRegistered() {
		RuntimeHints hints = new RuntimeHints();
		AotServices.factories()
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(hints, getClass().getClassLoader()));
		assertThat(this.reflection.onType(JettyWebSocketServerContainer.class)).accepts(hints);
		int methods = 0;
		for (Method method : JettyPartialMessageListener.class.getDeclaredMethods()) {
			if (Modifier.isPublic(method.getModifiers())) {
				assertThat(this.reflection.onMethodInvocation(method)).as(method.toString()).accepts(hints);
				methods++;
			}
		}
		assertThat(methods).as("public methods of the listener").isGreaterThanOrEqualTo(5);
	}

}
