package io.autobahn.spring.websocket.behaviour;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.Conformance;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The origin check: by default only the server's own origin and requests without an
 * {@code Origin} header (non-browser clients) may connect, and a foreign origin gets 403
 * before {@code onConnect} runs; an endpoint's {@code allowed-origins} patterns admit the
 * origins they match, for that endpoint only. Subclassed per container.
 */
@SpringBootTest(classes = OriginTests.OriginApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "autobahn.websocket.endpoints.restricted.allowed-origins=https://*.example.com")
class OriginTests extends AbstractBehaviourTests {

	@Test
	void sameOriginIsAllowedByDefault() throws Exception {
		assertThat(status("/default", "http://127.0.0.1:" + this.port)).isEqualTo(101);
		assertThat(this.recorder.await("onConnect", TIMEOUT).detail(0)).isEqualTo("default");
	}

	@Test
	@Conformance("RFC 6455 4.2.2, 10.2")
	void foreignOriginIsRefusedWith403ByDefaultBeforeOnConnect() throws Exception {
		assertThat(status("/default", "http://evil.example")).isEqualTo(403);
		assertThat(status("/default", null)).isEqualTo(101);
		assertThat(this.recorder.await("onConnect", TIMEOUT).detail(1)).isEqualTo("none");
	}

	@Test
	void requestWithoutOriginIsAllowed() throws Exception {
		assertThat(status("/default", null)).isEqualTo(101);
		assertThat(status("/restricted", null)).isEqualTo(101);
	}

	@Test
	void configuredOriginPatternAdmitsMatchingOrigins() throws Exception {
		assertThat(status("/restricted", "https://app.example.com")).isEqualTo(101);
		assertThat(this.recorder.await("onConnect", TIMEOUT).details()).containsExactly("restricted",
				"https://app.example.com");
	}

	@Test
	@Conformance("RFC 6455 4.2.2, 10.2")
	void configuredOriginPatternRefusesOtherOriginsWith403() throws Exception {
		assertThat(status("/restricted", "http://evil.test")).isEqualTo(403);
		assertThat(status("/restricted", "http://app.example.com")).isEqualTo(403);
	}

	@Test
	void configuredOriginsApplyOnlyToTheirEndpoint() throws Exception {
		assertThat(status("/default", "https://app.example.com")).isEqualTo(403);
	}

	private int status(String path, @Nullable String origin) throws Exception {
		Map<String, String> headers = new HashMap<>();
		if (origin != null) {
			headers.put("Origin", origin);
		}
		try (RawWebSocket raw = RawWebSocket.connect(this.port, path, headers)) {
			if (raw.handshake().status() == 101) {
				raw.sendClose(1000, "");
				raw.awaitEndOfStream(TIMEOUT);
			}
			return raw.handshake().status();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, DefaultOriginsProtocol.class, RestrictedOriginsProtocol.class })
	static class OriginApplication {

	}

	/** Records which endpoint {@code onConnect} ran on and the origin it saw. */
	abstract static class OriginRecordingProtocol extends RecordingProtocol {

		private final String endpoint;

		OriginRecordingProtocol(HookRecorder recorder, String endpoint) {
			super(recorder);
			this.endpoint = endpoint;
		}

		@Override
		public @Nullable ConnectionAccept onConnect(ConnectionRequest request) {
			this.recorder.record("onConnect", this.endpoint, (request.origin() != null) ? request.origin() : "none");
			return null;
		}

	}

	@WebSocketEndpoint(path = "/default", name = "defaultOrigins")
	static class DefaultOriginsProtocol extends OriginRecordingProtocol {

		DefaultOriginsProtocol(HookRecorder recorder) {
			super(recorder, "default");
		}

	}

	@WebSocketEndpoint(path = "/restricted", name = "restricted")
	static class RestrictedOriginsProtocol extends OriginRecordingProtocol {

		RestrictedOriginsProtocol(HookRecorder recorder) {
			super(recorder, "restricted");
		}

	}

}
