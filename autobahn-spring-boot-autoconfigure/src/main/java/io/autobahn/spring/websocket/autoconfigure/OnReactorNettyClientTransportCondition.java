package io.autobahn.spring.websocket.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless {@code autobahn.websocket.client.transport} asks for the JDK's client:
 * the value is read as text (Spring Boot's relaxed enum rules), as conditions run before
 * the properties bean is bound; an invalid value is for the properties bean to report.
 */
class OnReactorNettyClientTransportCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("Autobahn WebSocket client transport");
		String transport = Binder.get(context.getEnvironment())
			.bind(AutobahnWebSocketClientAutoConfiguration.TRANSPORT_PROPERTY, String.class)
			.orElse("auto");
		ConditionMessage because = message
			.because(AutobahnWebSocketClientAutoConfiguration.TRANSPORT_PROPERTY + " is " + transport);
		boolean jdk = transport.trim().equalsIgnoreCase("jdk");
		return jdk ? ConditionOutcome.noMatch(because) : ConditionOutcome.match(because);
	}

}
