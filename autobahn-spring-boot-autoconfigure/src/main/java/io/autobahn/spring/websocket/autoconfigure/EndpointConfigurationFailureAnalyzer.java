package io.autobahn.spring.websocket.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.env.Environment;

/**
 * Reports an {@link EndpointConfigurationException} in Spring Boot's "APPLICATION FAILED
 * TO START" format: its message as the description, followed, when the mistake lies in
 * configuration properties, by each of them with its value and where it was set.
 */
class EndpointConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<EndpointConfigurationException> {

	private final Environment environment;

	EndpointConfigurationFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EndpointConfigurationException cause) {
		StringBuilder description = new StringBuilder(String.valueOf(cause.getMessage()));
		String prefix = cause.getPropertyPrefix();
		if (prefix != null) {
			appendProperties(description, ConfigurationPropertyName.adapt(prefix, '.'));
		}
		return new FailureAnalysis(description.toString(), cause.getAction(), cause);
	}

	private void appendProperties(StringBuilder description, ConfigurationPropertyName prefix) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream().filter(prefix::isAncestorOf).forEach((name) -> {
					ConfigurationProperty property = source.getConfigurationProperty(name);
					if (property != null) {
						appendProperty(description, property);
					}
				});
			}
		}
	}

	private static void appendProperty(StringBuilder description, ConfigurationProperty property) {
		Origin origin = property.getOrigin();
		// The name as written where the source keeps it (the canonical name is lower
		// case).
		Object name = (origin instanceof PropertySourceOrigin source) ? source.getPropertyName() : property.getName();
		description.append(String.format("%n%n    Property: %s", name));
		description.append(String.format("%n    Value: \"%s\"", property.getValue()));
		if (origin != null) {
			description.append(String.format("%n    Origin: %s", origin));
		}
	}

}
