package io.autobahn.spring.bench.servlet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import io.autobahn.spring.bench.StarterEcho;

/**
 * Echo server on {@code /echo} for the benchmarks, on the servlet stack (Tomcat or Jetty, chosen
 * by the jar). The Spring profile picks the implementation: {@code starter} (the starter's
 * {@link StarterEcho}) or {@code baseline} (a hand-written {@link BaselineEchoConfiguration}).
 */
@SpringBootApplication(scanBasePackages = "io.autobahn.spring.bench") // StarterEcho is one level up
public class BenchServletApplication {

	public static void main(String[] args) {
		SpringApplication.run(BenchServletApplication.class, args);
	}

}
