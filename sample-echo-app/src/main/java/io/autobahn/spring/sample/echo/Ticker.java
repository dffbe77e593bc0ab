package io.autobahn.spring.sample.echo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.autobahn.spring.websocket.WebSocketConnections;

/**
 * A broadcast from a scheduled task: every second, the time and how many people are in
 * the chat go to every client of the ticker endpoint
 * ({@code tick 2026-12-04T21:00:00Z chat 2}), through the injected
 * {@link WebSocketConnections}. A broadcast never blocks this thread: a client that stops
 * reading is dropped alone. Local to each instance, also with the {@code cluster}
 * profile.
 */
@Component
class Ticker {

	private final WebSocketConnections connections;

	Ticker(WebSocketConnections connections) {
		this.connections = connections;
	}

	@Scheduled(fixedRate = 1000)
	void tick() {
		WebSocketConnections ticker = this.connections.forEndpoint("tickerProtocol");
		if (ticker.size() > 0) {
			// A Predicate, not a ConnectionSelector: with several instances (the cluster
			// profile) each ticks to its own clients, with its own count, and this stays
			// local.
			ticker.broadcast("tick " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " chat "
					+ this.connections.forEndpoint("chatProtocol").size(), (connection) -> true);
		}
	}

}
