package io.autobahn.spring.websocket;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * Marks a {@link WebSocketClientProtocol} subclass as a client protocol bean: the class
 * becomes a prototype-scoped Spring bean, and
 * {@link WebSocketConnector#connect(java.net.URI, Class) connect(uri, MyClient.class)}
 * asks the container for a new instance for every connection (every reconnect too), so
 * constructor injection, {@code @Value}, AOP and {@code @PreDestroy} work as on the
 * server side. The instance is destroyed after its
 * {@link WebSocketProtocol#onClose(boolean, Integer, String) onClose}.
 * <p>
 * Optional: a class without it is created and injected for each connection all the same
 * (as {@code AutowireCapableBeanFactory.createBean} does). A client protocol declared as
 * a bean of another scope than prototype fails startup, as one instance serves one
 * connection.
 *
 * @see WebSocketConnector
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public @interface WebSocketClient {

	/**
	 * The client's name, under which its connections are listed
	 * ({@link WebSocketConnection#getEndpoint()}, the {@code endpoint} tag of its
	 * metrics) unless the connect's options name another. Defaults to the bean name.
	 * @return the client's name
	 */
	String name() default "";

}
