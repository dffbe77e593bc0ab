package io.autobahn.spring.websocket.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

import io.autobahn.spring.websocket.servlet.JettyPartialMessageListener;

/**
 * The reflection the starter does at run time, as {@link RuntimeHints} for a native image
 * (a JVM needs none of them): the classes whose presence it checks with
 * {@link ClassUtils#isPresent} ({@code Class.forName}, which finds in a native image only
 * the classes registered for it), the two private fields of Tomcat's that let it drop a
 * connection without a close frame, and the Jetty listener whose methods Jetty looks up
 * and invokes by reflection. The protocol classes are registered per endpoint by
 * {@link WebSocketEndpointBeanFactoryInitializationAotProcessor}.
 * <p>
 * Registered in {@code META-INF/spring/aot.factories}; called once, at build time, by
 * Spring's ahead-of-time processing.
 */
class AutobahnWebSocketRuntimeHints implements RuntimeHintsRegistrar {

	/** Tomcat's session, whose {@code wsRemoteEndpoint} servlet.TomcatSessions reads. */
	static final String TOMCAT_SESSION = "org.apache.tomcat.websocket.WsSession";

	/**
	 * Tomcat's remote endpoint, whose {@code socketWrapper} servlet.TomcatSessions reads.
	 */
	static final String TOMCAT_REMOTE_ENDPOINT = "org.apache.tomcat.websocket.server.WsRemoteEndpointImplServer";

	/**
	 * The Jetty server class whose presence makes the servlet stack use the Jetty
	 * listener.
	 */
	static final String JETTY_SERVER_CONTAINER = "org.eclipse.jetty.ee11.websocket.server.JettyWebSocketServerContainer";

	/**
	 * The classes whose presence the starter checks at run time, each registered where it
	 * is present at build time.
	 */
	static final List<String> CLASSES_CHECKED_AT_RUN_TIME = List.of(
			// AutobahnWebSocketAutoConfiguration: whether dedicated ports can be served
			DedicatedPortDependencies.REACTOR_NETTY_CLASS, DedicatedPortDependencies.WEBFLUX_CLASS,
			// servlet.ProtocolHandshakeHandler: whether to upgrade with the Jetty
			// listener
			JETTY_SERVER_CONTAINER,
			// servlet.StandardSessionTransport: whether TomcatSessions applies
			TOMCAT_SESSION,
			// reactive.BoundedPerMessageDeflate: whether deflate windows below 15 bits
			// are possible
			"com.jcraft.jzlib.JZlib");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		ReflectionHints reflection = hints.reflection();
		for (String name : CLASSES_CHECKED_AT_RUN_TIME) {
			reflection.registerTypeIfPresent(classLoader, name);
		}
		if (ClassUtils.isPresent(TOMCAT_SESSION, classLoader)) {
			reflection.registerType(TypeReference.of(TOMCAT_SESSION), (type) -> type.withField("wsRemoteEndpoint"));
			reflection.registerType(TypeReference.of(TOMCAT_REMOTE_ENDPOINT),
					(type) -> type.withField("socketWrapper"));
		}
		if (ClassUtils.isPresent(JETTY_SERVER_CONTAINER, classLoader)) {
			// Only here: the listener implements Jetty's API, which may be absent
			// otherwise.
			reflection.registerType(JettyPartialMessageListener.class, MemberCategory.INVOKE_PUBLIC_METHODS);
		}
	}

}
