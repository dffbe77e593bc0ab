package io.autobahn.spring.websocket.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The libraries that serve dedicated ports, each known by a class of its own: the one
 * place {@link AutobahnDedicatedPortAutoConfiguration}'s condition and the startup check
 * of {@link AutobahnWebSocketAutoConfiguration} take them from, so that they cannot
 * disagree.
 */
final class DedicatedPortDependencies {

	/** A class of io.projectreactor.netty:reactor-netty-http. */
	static final String REACTOR_NETTY_CLASS = "reactor.netty.http.server.HttpServer";

	/** A class of org.springframework:spring-webflux (spring-web has none). */
	static final String WEBFLUX_CLASS = "org.springframework.web.reactive.socket.server.RequestUpgradeStrategy";

	private DedicatedPortDependencies() {
	}

	/**
	 * Return the artifacts that are missing.
	 * @param classLoader the application's class loader
	 * @return the coordinates of each missing artifact, empty if none is missing
	 */
	static List<String> missing(@Nullable ClassLoader classLoader) {
		List<String> missing = new ArrayList<>();
		if (!ClassUtils.isPresent(REACTOR_NETTY_CLASS, classLoader)) {
			missing.add("io.projectreactor.netty:reactor-netty-http");
		}
		if (!ClassUtils.isPresent(WEBFLUX_CLASS, classLoader)) {
			missing.add("org.springframework:spring-webflux");
		}
		return missing;
	}

}
