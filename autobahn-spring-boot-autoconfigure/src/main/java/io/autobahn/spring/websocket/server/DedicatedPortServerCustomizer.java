package io.autobahn.spring.websocket.server;

import reactor.netty.http.server.HttpServer;

/**
 * Customizes the Reactor Netty {@link HttpServer} of each dedicated port, as Spring
 * Boot's {@code NettyServerCustomizer} does for the application's WebFlux server: declare
 * beans of this type, ordered with
 * {@link org.springframework.core.annotation.Order @Order} or
 * {@link org.springframework.core.Ordered}, and each is applied, in order, to every
 * server the starter builds, after the starter's own configuration (address, port, TLS,
 * {@code open-handshake-timeout}) and before it binds. Called once per server, at
 * startup.
 */
@FunctionalInterface
public interface DedicatedPortServerCustomizer {

	/**
	 * Customize a dedicated port's server.
	 * @param server the server as the starter configured it
	 * @return the server to bind (Reactor Netty's servers are immutable: return the
	 * configured copy)
	 */
	HttpServer customize(HttpServer server);

}
