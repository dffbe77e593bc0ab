package io.autobahn.spring.websocket.client;

import java.beans.Introspector;

import io.autobahn.spring.websocket.WebSocketClientProtocol;

/**
 * Makes the protocol instances of the connects that name a class, and disposes of them
 * after their {@code onClose}: the application context's beans in a Spring application (a
 * {@code @WebSocketClient} prototype, or a class the context creates and injects).
 * Thread-safe.
 */
public interface ClientProtocols {

	/**
	 * Make a new, never used instance.
	 * @param <P> the protocol type
	 * @param type the protocol class
	 * @return the instance
	 */
	<P extends WebSocketClientProtocol> P create(Class<P> type);

	/**
	 * Dispose of an instance this made, once its connection is gone.
	 * @param protocol the instance
	 */
	void destroy(WebSocketClientProtocol protocol);

	/**
	 * Return the client name of a protocol class, when the options name none.
	 * @param type the protocol class
	 * @return the name: by default the class's simple name, decapitalized
	 */
	default String nameOf(Class<?> type) {
		return defaultName(type);
	}

	/**
	 * Return a protocol class's simple name, decapitalized, as a bean's default name.
	 * @param type the class
	 * @return the name, or {@code client} for an anonymous class
	 */
	static String defaultName(Class<?> type) {
		String simpleName = type.getSimpleName();
		return simpleName.isEmpty() ? "client" : Introspector.decapitalize(simpleName);
	}

}
