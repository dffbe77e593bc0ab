package io.autobahn.spring.sample.echo;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.autobahn.spring.sample.greeting.GreetingProtocol;

/**
 * Declares the greeting endpoint, whose class the application does not scan. Its name,
 * the key of its settings under {@code autobahn.websocket.endpoints}, is the bean name:
 * {@code greeting}, which {@code application.yml} gives a port of its own.
 */
@Configuration(proxyBeanMethods = false)
class GreetingConfiguration {

	@Bean // called for every connection: the endpoint is prototype-scoped
	GreetingProtocol greeting(@Value("${greeting.text:Hello from a port of my own}") String text) {
		return new GreetingProtocol(text);
	}

}
