package io.autobahn.spring.websocket.actuate;

import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.core.EndpointDefinition;

/**
 * Says where an endpoint is served, for the {@link WebSocketActuatorEndpoint}: what only
 * the running application knows (the port bound, the server, TLS). Thread-safe.
 */
@FunctionalInterface
public interface EndpointLocator {

	/**
	 * Locate an endpoint.
	 * @param endpoint the endpoint
	 * @return where it is served
	 */
	Location locate(EndpointDefinition endpoint);

	/**
	 * Where an endpoint is served.
	 *
	 * @param url the endpoint's URL as a client reaches it on this host, such as
	 * {@code ws://*:8080/echo} ({@code *}: every interface), or {@code null} while its
	 * server does not listen
	 * @param port the port it listens on, or {@code null} while its server does not
	 * listen
	 * @param stack the server, such as {@code Tomcat}, {@code Jetty} or
	 * {@code Reactor Netty}
	 * @param secure whether it serves {@code wss}
	 */
	record Location(@Nullable String url, @Nullable Integer port, String stack, boolean secure) {
	}

}
