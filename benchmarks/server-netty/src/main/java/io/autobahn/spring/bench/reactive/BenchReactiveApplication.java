package io.autobahn.spring.bench.reactive;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import io.autobahn.spring.bench.StarterEcho;

/**
 * Echo server on {@code /echo} for the benchmarks, on WebFlux with Reactor Netty. The Spring
 * profile picks the implementation: {@code starter} ({@link StarterEcho}) or {@code baseline}
 * (a hand-written {@link BaselineEchoConfiguration}).
 */
@SpringBootApplication(scanBasePackages = "io.autobahn.spring.bench") // StarterEcho is one level up
public class BenchReactiveApplication {

	public static void main(String[] args) {
		SpringApplication.run(BenchReactiveApplication.class, args);
	}

}
