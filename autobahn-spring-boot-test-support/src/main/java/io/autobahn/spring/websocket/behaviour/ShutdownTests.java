package io.autobahn.spring.websocket.behaviour;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.core.ConnectionRegistry;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Application shutdown: closing the application context closes every open connection with
 * 1001 (going away), and {@code onClose} of each has run by the time
 * {@code context.close()} returns. The test starts and stops its own application.
 * Stack-neutral: subclassed per container.
 */
class ShutdownTests {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Test
	void closingTheContextClosesEveryConnectionWith1001BeforeItReturns() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ShutdownApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.run();
		try {
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			HookRecorder recorder = context.getBean(HookRecorder.class);
			JdkClient first = JdkClient.connect(port, "/shutdown");
			JdkClient second = JdkClient.connect(port, "/shutdown");
			recorder.await("onOpen", TIMEOUT);
			recorder.await("onOpen", TIMEOUT);
			assertThat(context.getBean(ConnectionRegistry.class).size()).isEqualTo(2);
			context.close();
			// Taken without waiting: both onClose calls must already be there.
			List<HookRecorder.Event> closes = recorder.drain()
				.stream()
				.filter((event) -> event.hook().equals("onClose"))
				.toList();
			assertThat(closes).hasSize(2);
			assertThat(closes).allSatisfy((close) -> assertThat(close.detail(1)).isIn(1001, 1006));
			assertThat(first.awaitClose().closeCode()).isEqualTo(1001);
			assertThat(second.awaitClose().closeCode()).isEqualTo(1001);
		}
		finally {
			context.close();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, ShutdownProtocol.class })
	static class ShutdownApplication {

	}

	@WebSocketEndpoint(path = "/shutdown", name = "shutdown")
	static class ShutdownProtocol extends RecordingProtocol {

		ShutdownProtocol(HookRecorder recorder) {
			super(recorder);
		}

	}

}
