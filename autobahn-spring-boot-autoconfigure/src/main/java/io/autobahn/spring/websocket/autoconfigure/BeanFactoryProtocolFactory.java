package io.autobahn.spring.websocket.autoconfigure;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.core.EndpointDefinition;
import io.autobahn.spring.websocket.core.ProtocolFactory;

/**
 * Creates protocol instances from their prototype bean definitions, so injection, AOP and
 * {@code @PreDestroy} work per connection.
 */
public class BeanFactoryProtocolFactory implements ProtocolFactory {

	private final ConfigurableListableBeanFactory beanFactory;

	/**
	 * Create a new instance.
	 * @param beanFactory the bean factory holding the endpoint beans
	 */
	public BeanFactoryProtocolFactory(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public WebSocketServerProtocol create(EndpointDefinition endpoint) {
		return this.beanFactory.getBean(endpoint.beanName(), WebSocketServerProtocol.class);
	}

	@Override
	public void destroy(EndpointDefinition endpoint, WebSocketServerProtocol protocol) {
		this.beanFactory.destroyBean(endpoint.beanName(), protocol);
	}

}
