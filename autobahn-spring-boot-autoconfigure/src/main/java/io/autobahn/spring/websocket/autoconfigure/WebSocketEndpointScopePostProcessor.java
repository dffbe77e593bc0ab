package io.autobahn.spring.websocket.autoconfigure;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

import io.autobahn.spring.websocket.WebSocketClientProtocol;
import io.autobahn.spring.websocket.WebSocketEndpoint;

/**
 * Makes every {@link WebSocketEndpoint @WebSocketEndpoint} bean and every bean of a
 * {@link WebSocketClientProtocol} class prototype-scoped (a {@code @Bean} method or a
 * class without {@code @Scope} gets the prototype scope) and fails startup for one
 * declared with another scope: a protocol instance serves exactly one connection. Runs
 * once, while the bean factory is post-processed.
 */
public class WebSocketEndpointScopePostProcessor implements BeanFactoryPostProcessor {

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
		for (String beanName : beanFactory.getBeanNamesForType(WebSocketClientProtocol.class, true, false)) {
			makePrototype(beanFactory, beanName, true);
		}
		for (String beanName : beanFactory.getBeanNamesForAnnotation(WebSocketEndpoint.class)) {
			makePrototype(beanFactory, beanName, false);
		}
	}

	private static void makePrototype(ConfigurableListableBeanFactory beanFactory, String beanName, boolean client) {
		// The declared scope: a merged definition reports "singleton" for a @Bean method
		// without @Scope, which must become prototype rather than fail.
		BeanDefinition definition = beanFactory.getBeanDefinition(beanName);
		String scope = definition.getScope();
		if (scope == null || scope.isEmpty()) {
			definition.setScope(BeanDefinition.SCOPE_PROTOTYPE);
		}
		else if (!BeanDefinition.SCOPE_PROTOTYPE.equals(scope)) {
			throw new EndpointConfigurationException.NotPrototype(beanName, scope, client);
		}
	}

}
