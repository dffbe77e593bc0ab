package io.autobahn.spring.websocket.behaviour;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.autobahn.spring.websocket.core.ConnectionRegistry;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.Poll;

/**
 * What the behaviour tests that run against a {@code RANDOM_PORT} application with a
 * {@link HookRecorder} bean share: the port, the recorder, the registry of open
 * connections, the usual timeout, and a fresh start for every test (the connections of
 * earlier tests are gone and their hook events cleared). Each subclass keeps its own
 * {@code @SpringBootTest} and application. Stack-neutral, like its subclasses.
 */
abstract class AbstractBehaviourTests {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	HookRecorder recorder;

	@Autowired
	ConnectionRegistry registry;

	@BeforeEach
	void awaitEarlierConnectionsClosedAndClearRecorder() throws InterruptedException {
		Poll.until("connections of earlier tests are closed", () -> this.registry.size() == 0, TIMEOUT);
		this.recorder.clear();
	}

}
