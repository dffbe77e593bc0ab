package io.autobahn.spring.websocket.autoconfigure;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when some {@code autobahn.websocket.endpoints.<name>.port} is set. Conditions
 * are evaluated before any bean exists, so this one reads that one key of each endpoint
 * block itself, as text: whether the value is a valid port is for the properties bean to
 * report.
 */
class OnDedicatedPortCondition extends SpringBootCondition {

	private static final Bindable<Map<String, PortOnly>> ENDPOINTS = Bindable.mapOf(String.class, PortOnly.class);

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("Autobahn WebSocket dedicated port");
		Map<String, PortOnly> endpoints = Binder.get(context.getEnvironment())
			.bind(AutobahnWebSocketProperties.ENDPOINTS_PREFIX, ENDPOINTS)
			.orElse(Map.of());
		return endpoints.entrySet()
			.stream()
			.filter((entry) -> StringUtils.hasText(entry.getValue().getPort()))
			.findFirst()
			.map((entry) -> ConditionOutcome.match(message.found("endpoint with a port").items(entry.getKey())))
			.orElseGet(() -> ConditionOutcome.noMatch(message.didNotFind("endpoint with a port").atAll()));
	}

	/**
	 * The one endpoint setting this condition reads.
	 */
	static class PortOnly {

		private @Nullable String port;

		public @Nullable String getPort() {
			return this.port;
		}

		public void setPort(@Nullable String port) {
			this.port = port;
		}

	}

}
