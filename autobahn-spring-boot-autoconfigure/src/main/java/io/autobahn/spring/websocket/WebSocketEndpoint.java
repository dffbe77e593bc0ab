package io.autobahn.spring.websocket;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a {@link WebSocketServerProtocol} subclass as a WebSocket endpoint served on a
 * path.
 * <p>
 * The class becomes a prototype-scoped Spring bean: the starter asks the container for a
 * new instance for every connection, so constructor injection, {@code @Value}, AOP and
 * {@code @PreDestroy} work, and fields hold per-connection state. The instance is dropped
 * after {@link WebSocketProtocol#onClose(boolean, Integer, String) onClose}.
 * <pre class="code">
 * &#64;WebSocketEndpoint("/echo")
 * public class EchoServerProtocol extends WebSocketServerProtocol {
 *     &#64;Override
 *     public void onMessage(byte[] payload, boolean isBinary) {
 *         sendMessage(payload, isBinary);
 *     }
 * }
 * </pre> An endpoint declared with a {@code @Bean} method is prototype-scoped too unless
 * the method declares another scope, which fails at startup.
 *
 * @see WebSocketServerProtocol
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public @interface WebSocketEndpoint {

	/**
	 * Alias for {@link #path()}.
	 * @return the path
	 */
	@AliasFor("path")
	String value() default "";

	/**
	 * The path the endpoint is served on, for example {@code "/echo"}. Can be overridden
	 * with {@code autobahn.websocket.endpoints.<name>.path}.
	 * @return the path
	 */
	@AliasFor("value")
	String path() default "";

	/**
	 * The endpoint's name, the key of its settings under
	 * {@code autobahn.websocket.endpoints}. Defaults to the bean name.
	 * @return the endpoint name
	 */
	String name() default "";

}
