package io.autobahn.spring.sample.echo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Autobahn's classic echo server: {@code ws://localhost:9000/echo}, a logging endpoint on
 * {@code ws://localhost:9000/hooks}, a page to try them at {@code http://localhost:9000/},
 * and an endpoint declared with {@code @Bean} on a port of its own:
 * {@code ws://localhost:9001/greeting}.
 */
@SpringBootApplication
public class EchoApplication {

	public static void main(String[] args) {
		SpringApplication.run(EchoApplication.class, args);
	}

}
