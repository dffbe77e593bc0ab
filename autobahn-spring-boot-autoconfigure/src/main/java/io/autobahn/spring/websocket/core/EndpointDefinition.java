package io.autobahn.spring.websocket.core;

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
 */
public record EndpointDefinition(String name, String path, String beanName,
		Class<? extends WebSocketServerProtocol> protocolType, EndpointSettings settings) {

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
