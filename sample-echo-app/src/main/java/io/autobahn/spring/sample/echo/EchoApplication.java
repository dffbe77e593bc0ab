package io.autobahn.spring.sample.echo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Autobahn's classic echo server: {@code ws://localhost:9000/echo}, a logging endpoint on
 * {@code ws://localhost:9000/hooks}, and a page to try them at {@code http://localhost:9000/}.
 */
@SpringBootApplication
public class EchoApplication {

	public static void main(String[] args) {
		SpringApplication.run(EchoApplication.class, args);
	}

}
