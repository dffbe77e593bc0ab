package io.autobahn.spring.websocket.behaviour;

/**
 * {@link ReconnectTests}: the reactor-netty client transport, the server on WebFlux with
 * Reactor Netty.
 */
class NettyReconnectTests extends ReconnectTests {

	@Override
	String transport() {
		return "reactor-netty";
	}

}
