package io.autobahn.spring.websocket.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketProtocol;

/**
 * Registers, for a native image, each {@link WebSocketEndpoint @WebSocketEndpoint}
 * protocol class and its superclasses up to {@link WebSocketProtocol} for reflection:
 * which hooks a class overrides is looked up with {@code Class.getMethod} when its
 * endpoint is mapped ({@code EndpointDefinition.overrides}). The endpoints are found as
 * {@link WebSocketEndpointDiscoverer} finds them at run time, {@code @Bean} methods
 * included.
 * <p>
 * Registered in {@code META-INF/spring/aot.factories}; called once, at build time, on the
 * bean factory that Spring's ahead-of-time processing has post-processed (the endpoints
 * are prototype-scoped by then).
 */
class WebSocketEndpointBeanFactoryInitializationAotProcessor implements BeanFactoryInitializationAotProcessor {

	@Override
	public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
			ConfigurableListableBeanFactory beanFactory) {
		Set<Class<?>> types = new LinkedHashSet<>();
		for (String beanName : beanFactory.getBeanNamesForAnnotation(WebSocketEndpoint.class)) {
			Class<?> type = beanFactory.getType(beanName);
			while (type != null && WebSocketProtocol.class.isAssignableFrom(type)) {
				types.add(type);
				type = type.getSuperclass();
			}
		}
		if (types.isEmpty()) {
			return null;
		}
		return (generationContext, code) -> {
			ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
			types.forEach((type) -> reflection.registerType(type));
		};
	}

}
