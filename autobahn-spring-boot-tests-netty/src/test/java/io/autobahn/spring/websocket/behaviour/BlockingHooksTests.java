package io.autobahn.spring.websocket.behaviour;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.test.JdkClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On Reactor Netty hooks run on the event loop, which this module limits to one thread: a
 * hook that sleeps stalls every connection, unless its endpoint sets
 * {@code blocking-hooks}, which runs hooks on the bounded-elastic scheduler.
 */
@SpringBootTest(classes = BlockingHooksTests.SleepyApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "autobahn.websocket.endpoints.offloaded.blocking-hooks=true")
class BlockingHooksTests {

	private static final long SLEEP_MILLIS = 1500;

	@LocalServerPort
	int port;

	@Test
	void sleepingHookDoesNotStallOtherConnectionsWithBlockingHooks() throws Exception {
		assertThat(echoLatencyWhileAnotherConnectionSleeps("/offloaded")).isLessThan(Duration.ofMillis(700));
	}

	@Test
	void sleepingHookOnTheEventLoopStallsOtherConnections() throws Exception {
		assertThat(echoLatencyWhileAnotherConnectionSleeps("/inline")).isGreaterThan(Duration.ofMillis(1000));
	}

	private Duration echoLatencyWhileAnotherConnectionSleeps(String path) throws Exception {
		JdkClient sleeper = JdkClient.connect(this.port, path);
		JdkClient other = JdkClient.connect(this.port, path);
		sleeper.sendText("sleep");
		Thread.sleep(100);
		long start = System.nanoTime();
		other.sendText("hi");
		assertThat(other.next().text()).isEqualTo("hi");
		Duration latency = Duration.ofNanos(System.nanoTime() - start);
		assertThat(sleeper.next(Duration.ofSeconds(5)).text()).isEqualTo("sleep");
		sleeper.sendClose(1000, "");
		other.sendClose(1000, "");
		return latency;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ InlineProtocol.class, OffloadedProtocol.class })
	static class SleepyApplication {

	}

	abstract static class SleepyProtocol extends WebSocketServerProtocol {

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			if ("sleep".equals(new String(payload, StandardCharsets.UTF_8))) {
				try {
					Thread.sleep(SLEEP_MILLIS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			sendMessage(payload, isBinary);
		}

	}

	@WebSocketEndpoint(value = "/inline", name = "inline")
	static class InlineProtocol extends SleepyProtocol {

	}

	@WebSocketEndpoint(value = "/offloaded", name = "offloaded")
	static class OffloadedProtocol extends SleepyProtocol {

	}

}
