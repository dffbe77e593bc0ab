package io.autobahn.spring.websocket.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.StringUtils;

import io.autobahn.spring.websocket.WebSocketClient;
import io.autobahn.spring.websocket.WebSocketClientProtocol;
import io.autobahn.spring.websocket.client.ClientProtocols;

/**
 * Makes client protocol instances through the application context, so that injection, AOP
 * and {@code @PreDestroy} work per connection: the prototype bean of the class where
 * there is one (a {@link WebSocketClient @WebSocketClient} class, or a {@code @Bean}
 * method), else an instance the context creates and injects as it would a bean. A client
 * is named after its bean (or the annotation's {@code name}). Thread-safe.
 */
public class BeanFactoryClientProtocols implements ClientProtocols {

	private final ConfigurableListableBeanFactory beanFactory;

	/**
	 * Create a new instance.
	 * @param beanFactory the application's bean factory
	 */
	public BeanFactoryClientProtocols(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public <P extends WebSocketClientProtocol> P create(Class<P> type) {
		String beanName = beanName(type);
		return (beanName != null) ? this.beanFactory.getBean(beanName, type) : this.beanFactory.createBean(type);
	}

	@Override
	public void destroy(WebSocketClientProtocol protocol) {
		String beanName = beanName(protocol.getClass());
		if (beanName != null) {
			this.beanFactory.destroyBean(beanName, protocol);
		}
		else {
			this.beanFactory.destroyBean(protocol);
		}
	}

	@Override
	public String nameOf(Class<?> type) {
		WebSocketClient annotation = type.getAnnotation(WebSocketClient.class);
		if (annotation != null && StringUtils.hasText(annotation.name())) {
			return annotation.name();
		}
		String beanName = beanName(type);
		return (beanName != null) ? beanName : ClientProtocols.defaultName(type);
	}

	/**
	 * The one prototype bean of the class, if any.
	 * @throws IllegalStateException for several
	 */
	private @Nullable String beanName(Class<?> type) {
		String[] names = this.beanFactory.getBeanNamesForType(type, true, false);
		if (names.length > 1) {
			throw new IllegalStateException("Several beans of WebSocket client protocol " + type.getName() + ": "
					+ String.join(", ", names) + "; connect with a supplier (connector.connect(uri, options, "
					+ "() -> beanFactory.getBean(name, type))) to pick one");
		}
		return (names.length == 1) ? names[0] : null;
	}

}
