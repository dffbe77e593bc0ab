package io.autobahn.spring.websocket.autoconfigure;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.core.ServerEndpoint;
import io.autobahn.spring.websocket.core.ServerEndpoints;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for what the starter says at startup about the settings the application's port
 * cannot honour ({@link UnsupportedSettingsWarner}), on the servlet stack (Tomcat here):
 * {@code open-handshake-timeout} gets one WARN line for the application naming its
 * endpoints, none when the container's own timeout is set (a DEBUG line then) or the
 * timeout is {@code 0} (none), which startup accepts; a streaming endpoint that overrides
 * the frame hooks is told that the container hands over parts, not frames.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnsupportedSettingsWarnerTests {

	private static final String NOT_APPLIED = "open-handshake-timeout is not applied on the application's port";

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AutobahnWebSocketAutoConfiguration.class,
				AutobahnServletWebSocketAutoConfiguration.class))
		.withUserConfiguration(AutobahnWebSocketAutoConfigurationTests.EchoEndpoint.class,
				AutobahnWebSocketAutoConfigurationTests.NamedEndpoint.class);

	@Test
	void openHandshakeTimeoutGetsOneWarnLineNamingEveryEndpointOnTheApplicationsPort(CapturedOutput output) {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			List<String> lines = linesWith(output, NOT_APPLIED);
			assertThat(lines).singleElement()
				.satisfies((line) -> assertThat(line).contains("WARN", "WebSocket endpoints 'echo', 'same'",
						"server.tomcat.connection-timeout"));
		});
	}

	@Test
	void openHandshakeTimeoutGetsNoWarnLineWhenTheContainersTimeoutIsSet(CapturedOutput output) {
		this.runner.withPropertyValues("server.tomcat.connection-timeout=20s").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(linesWith(output, NOT_APPLIED)).isEmpty();
		});
	}

	@Test
	void openHandshakeTimeoutOfZeroIsAcceptedAsNoneAndNeedsNoWarning(CapturedOutput output) {
		this.runner.withPropertyValues("autobahn.websocket.open-handshake-timeout=0").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ServerEndpoints.class).endpoints()).map(ServerEndpoint::getDefinition)
				.allSatisfy((endpoint) -> assertThat(endpoint.settings().openHandshakeTimeout()).isZero());
			assertThat(linesWith(output, NOT_APPLIED)).isEmpty();
		});
	}

	@Test
	void anEndpointWithoutOpenHandshakeTimeoutIsLeftOutOfTheLine(CapturedOutput output) {
		this.runner
			.withPropertyValues("autobahn.websocket.endpoints.echo.open-handshake-timeout=0s",
					"autobahn.websocket.endpoints.same.open-handshake-timeout=" + Duration.ofSeconds(3).toMillis()
							+ "ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(linesWith(output, NOT_APPLIED)).singleElement()
					.satisfies(
							(line) -> assertThat(line).contains("WebSocket endpoint 'same':").doesNotContain("'echo'"));
			});
	}

	@Test
	void aStreamingEndpointThatWatchesFramesIsWarnedThatTheContainerHandsOverParts(CapturedOutput output) {
		this.runner.withUserConfiguration(FrameWatchingEndpoint.class, ChunkEndpoint.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(linesWith(output, "hands them over in parts, not frames")).singleElement()
				.satisfies((line) -> assertThat(line).contains("WARN", "WebSocket endpoint 'frames'",
						"FrameWatchingEndpoint streams messages, but the servlet container"));
		});
	}

	@Test
	void negativeOpenHandshakeTimeoutFailsStartup() {
		this.runner.withPropertyValues("autobahn.websocket.open-handshake-timeout=-1s")
			.run((context) -> assertThat(context).hasFailed());
	}

	@WebSocketEndpoint(path = "/frames", name = "frames")
	static class FrameWatchingEndpoint extends WebSocketServerProtocol {

		@Override
		public void onMessageFrameBegin(long length) {
		}

		@Override
		public void onMessageFrameData(ByteBuffer payload) {
		}

	}

	/** Streams, but only looks at the data: nothing to warn about. */
	@WebSocketEndpoint(path = "/chunks", name = "chunks")
	static class ChunkEndpoint extends WebSocketServerProtocol {

		@Override
		public void onMessageFrameData(ByteBuffer payload) {
		}

	}

	private static List<String> linesWith(CapturedOutput output, String text) {
		return output.getAll().lines().filter((line) -> line.contains(text)).toList();
	}

}
