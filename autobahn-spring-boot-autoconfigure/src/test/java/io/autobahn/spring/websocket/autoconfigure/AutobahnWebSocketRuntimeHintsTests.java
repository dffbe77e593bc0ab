package io.autobahn.spring.websocket.autoconfigure;

import org.apache.tomcat.websocket.WsSession;
import org.apache.tomcat.websocket.server.WsRemoteEndpointImplServer;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.util.ClassUtils;

import io.autobahn.spring.websocket.servlet.JettyPartialMessageListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints a native image needs for the starter's own reflection, on this module's class
 * path (Tomcat, Reactor Netty, WebFlux and jzlib present; Jetty's WebSocket server
 * absent: the Jetty module checks the hints for its listener), and that Spring's
 * ahead-of-time processing finds them.
 */
class AutobahnWebSocketRuntimeHintsTests {

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	@Test
	void registeredForAheadOfTimeProcessing() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(AutobahnWebSocketRuntimeHints.class);
	}

	@Test
	void everyClassCheckedAtRunTimeThatIsPresentIsRegisteredForClassForName() {
		RuntimeHints hints = hints(getClass().getClassLoader());
		for (String name : AutobahnWebSocketRuntimeHints.CLASSES_CHECKED_AT_RUN_TIME) {
			if (ClassUtils.isPresent(name, getClass().getClassLoader())) {
				assertThat(this.reflection.onType(TypeReference.of(name))).as(name).accepts(hints);
			}
		}
		assertThat(this.reflection.onType(TypeReference.of("reactor.netty.http.server.HttpServer"))).accepts(hints);
		assertThat(this.reflection
			.onType(TypeReference.of("org.springframework.web.reactive.socket.server.RequestUpgradeStrategy")))
			.accepts(hints);
		assertThat(this.reflection.onType(TypeReference.of("com.jcraft.jzlib.JZlib"))).accepts(hints);
		assertThat(this.reflection.onType(WsSession.class)).accepts(hints);
	}

	@Test
	void classesCheckedAtRunTimeThatAreAbsentAreNotRegistered() {
		RuntimeHints hints = hints(new FilteredClassLoader("reactor.netty", "com.jcraft"));
		assertThat(this.reflection.onType(TypeReference.of("reactor.netty.http.server.HttpServer"))).rejects(hints);
		assertThat(this.reflection.onType(TypeReference.of("com.jcraft.jzlib.JZlib"))).rejects(hints);
		assertThat(this.reflection.onType(TypeReference.of(AutobahnWebSocketRuntimeHints.JETTY_SERVER_CONTAINER)))
			.rejects(hints);
	}

	@Test
	void tomcatFieldsThatDropAConnectionWithoutACloseFrameAreAccessible() {
		// The predicates also fail where this Tomcat has no field of that name.
		RuntimeHints hints = hints(getClass().getClassLoader());
		assertThat(this.reflection.onFieldAccess(WsSession.class, "wsRemoteEndpoint")).accepts(hints);
		assertThat(this.reflection.onFieldAccess(WsRemoteEndpointImplServer.class, "socketWrapper")).accepts(hints);
	}

	@Test
	void noTomcatHintsWithoutTomcat() {
		RuntimeHints hints = hints(new FilteredClassLoader("org.apache.tomcat"));
		assertThat(this.reflection.onType(WsSession.class)).rejects(hints);
		assertThat(this.reflection.onType(WsRemoteEndpointImplServer.class)).rejects(hints);
	}

	@Test
	void noJettyListenerHintWithoutJettysWebSocketServer() {
		RuntimeHints hints = hints(getClass().getClassLoader());
		assertThat(ClassUtils.isPresent(AutobahnWebSocketRuntimeHints.JETTY_SERVER_CONTAINER, null)).isFalse();
		assertThat(this.reflection.onType(JettyPartialMessageListener.class)).rejects(hints);
	}

	private static RuntimeHints hints(ClassLoader classLoader) {
		RuntimeHints hints = new RuntimeHints();
		new AutobahnWebSocketRuntimeHints().registerHints(hints, classLoader);
		return hints;
	}

}
