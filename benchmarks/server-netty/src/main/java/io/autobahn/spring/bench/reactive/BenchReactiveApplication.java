package io.autobahn.spring.bench.reactive;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Echo server on {@code /echo} for the benchmarks, on WebFlux with Reactor Netty. The Spring
 * profile picks the implementation: {@code starter} ({@link StarterEcho}) or {@code baseline}
 * (a hand-written {@link BaselineEchoConfiguration}).
 */
@SpringBootApplication
public class BenchReactiveApplication {

	public static void main(String[] args) {
		SpringApplication.run(BenchReactiveApplication.class, args);
	}

}
