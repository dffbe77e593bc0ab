package io.autobahn.spring.websocket.readme;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class GreetingConfiguration {

	@Bean // called for every connection: the endpoint is prototype-scoped
	GreetingProtocol greeting(@Value("${greeting.text:hello}") String text) {
		return new GreetingProtocol(text);
	}

}
