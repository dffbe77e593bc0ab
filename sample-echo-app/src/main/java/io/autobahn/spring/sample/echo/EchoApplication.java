package io.autobahn.spring.sample.echo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Autobahn's classic echo server: {@code ws://localhost:9000/echo}, a logging endpoint on
 * {@code ws://localhost:9000/hooks}, a page to try them at
 * {@code http://localhost:9000/}, and an endpoint declared with {@code @Bean} on a port
 * of its own: {@code ws://localhost:9001/greeting}. Broadcasts: a chat room,
 * {@code ws://localhost:9000/chat}, and a ticker, {@code ws://localhost:9000/ticker}, on
 * a page with a live panel of the endpoints' traffic at
 * {@code http://localhost:9000/chat.html}.
 */
@SpringBootApplication
@EnableScheduling // the Ticker
public class EchoApplication {

	public static void main(String[] args) {
		SpringApplication.run(EchoApplication.class, args);
	}

}
