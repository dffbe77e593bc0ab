package io.autobahn.spring.websocket.core;

import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.WebSocketProtocol;
import io.autobahn.spring.websocket.WebSocketServerProtocol;

/**
 * A discovered {@code @WebSocketEndpoint}: where it is served and with which settings.
 *
 * @param name the endpoint name (its key under {@code autobahn.websocket.endpoints})
 * @param path the path it is served on
 * @param beanName the name of its prototype bean
 * @param protocolType the protocol class
 * @param settings the resolved options
 * @param port the dedicated port it listens on, or {@code null} to be served on the
 * application's main server port ({@code 0}: a free port chosen at startup)
 * @param sslBundle the name of the SSL bundle that secures its dedicated port (wss), or
 * {@code null} for plain ws; only set together with a port
 */
public record EndpointDefinition(String name, String path, String beanName,
		Class<? extends WebSocketServerProtocol> protocolType, EndpointSettings settings, @Nullable Integer port,
		@Nullable String sslBundle) {

	/**
	 * Return whether the endpoint listens on a port of its own rather than on the
	 * application's main server port.
	 * @return whether a dedicated port is set
	 */
	public boolean hasDedicatedPort() {
		return this.port != null;
	}

	/**
	 * Return how the protocol class takes its incoming messages.
	 * @return the mode, from the hooks it overrides
	 */
	public ReceiveMode receiveMode() {
		return ReceiveMode.of(this.protocolType);
	}

	/**
	 * Return whether the protocol class overrides the given hook.
	 * @param hook the hook's name, such as {@code "onPing"}
	 * @param parameterTypes the hook's parameter types
	 * @return whether a subclass declares it
	 */
	public boolean overrides(String hook, Class<?>... parameterTypes) {
		try {
			return this.protocolType.getMethod(hook, parameterTypes).getDeclaringClass() != WebSocketProtocol.class;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

}
