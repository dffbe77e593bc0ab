package io.autobahn.spring.websocket.behaviour;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.server.WebFilter;

import io.autobahn.spring.websocket.ConnectionAccept;
import io.autobahn.spring.websocket.ConnectionRequest;
import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.RecordingProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * The {@link ConnectionRequest} {@code onConnect} receives describes the client's opening
 * handshake as sent: the peer in Autobahn's {@code tcp4:ip:port} format with the client's
 * own port, every header case-insensitively with every value, the host without its port,
 * the path, multi-valued percent-decoded query parameters, the version, the origin (or
 * {@code null}), the offered subprotocols and extensions in client order, the cookies and
 * the authenticated principal. Subclassed per container.
 */
@SpringBootTest(classes = ConnectionRequestTests.RequestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ConnectionRequestTests extends AbstractBehaviourTests {

	@Test
	void peerIsTcp4WithTheClientsAddressAndPort() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/request")) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			assertThat(request().peer()).isEqualTo("tcp4:127.0.0.1:" + raw.socket().getLocalPort());
		}
	}

	@Test
	void headersAreCaseInsensitiveWithEveryValueOfARepeatedHeader() throws Exception {
		ConnectionRequest request = handshake("/request", "X-Repeated: one", "x-REPEATED: two", "X-Single: only");
		assertThat(request.headers().get("x-repeated")).containsExactly("one", "two");
		assertThat(request.headers().get("X-REPEATED")).containsExactly("one", "two");
		assertThat(request.headers().getFirst("X-SINGLE")).isEqualTo("only");
		assertThat(request.headers().getFirst("sec-websocket-version")).isEqualTo("13");
	}

	@Test
	void headersStayReadableAfterTheHandshakeThroughGetRequest() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/request", Map.of("X-Marker", "kept"))) {
			assertThat(raw.handshake().status()).isEqualTo(101);
			// Other tests' connections send no X-Marker ("null"): skip their onOpen.
			HookRecorder.Event open = this.recorder
				.await((event) -> event.hook().equals("onOpen") && !"null".equals(event.detail(0)), TIMEOUT);
			assertThat(open.details()).containsExactly("kept", "/request");
		}
	}

	@Test
	void hostIsTheHostHeaderWithoutItsPort() throws Exception {
		assertThat(handshake("/request").host()).isEqualTo("127.0.0.1");
	}

	@Test
	void pathAndMultiValuedPercentDecodedParams() throws Exception {
		ConnectionRequest request = handshake("/request?a=1&a=2&b=x%20y");
		assertThat(request.path()).isEqualTo("/request");
		assertThat(request.params()).containsOnly(entry("a", List.of("1", "2")), entry("b", List.of("x y")));
	}

	@Test
	void noQueryGivesNoParams() throws Exception {
		assertThat(handshake("/request").params()).isEmpty();
	}

	@Test
	void versionIs13() throws Exception {
		assertThat(handshake("/request").version()).isEqualTo(13);
	}

	@Test
	void originIsNullWhenAbsent() throws Exception {
		assertThat(handshake("/request").origin()).isNull();
	}

	@Test
	void originIsTheHeaderWhenPresent() throws Exception {
		String origin = "http://127.0.0.1:" + this.port;
		assertThat(handshake("/request", "Origin: " + origin).origin()).isEqualTo(origin);
	}

	@Test
	void protocolsAreTheOfferedSubprotocolsInClientOrder() throws Exception {
		ConnectionRequest request = handshake("/request", "Sec-WebSocket-Protocol: zeta, alpha",
				"Sec-WebSocket-Protocol: mid");
		assertThat(request.protocols()).containsExactly("zeta", "alpha", "mid");
	}

	@Test
	void noSubprotocolOfferedGivesNoProtocols() throws Exception {
		assertThat(handshake("/request").protocols()).isEmpty();
	}

	@Test
	void extensionsAreEveryOfferWithItsParameters() throws Exception {
		ConnectionRequest request = handshake("/request",
				"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-custom; a=1; b",
				"Sec-WebSocket-Extensions: x-quoted; c=\"q\"");
		assertThat(request.extensions()).containsExactly(
				new ConnectionRequest.Extension("permessage-deflate", Map.of("client_max_window_bits", "")),
				new ConnectionRequest.Extension("x-custom", Map.of("a", "1", "b", "")),
				new ConnectionRequest.Extension("x-quoted", Map.of("c", "q")));
		assertThat(request.extensions().get(1).parameters().keySet()).containsExactly("a", "b");
	}

	@Test
	void cookiesComeFromTheCookieHeader() throws Exception {
		ConnectionRequest request = handshake("/request", "Cookie: session=abc123; theme=dark");
		assertThat(request.cookies()).containsOnly(entry("session", List.of("abc123")),
				entry("theme", List.of("dark")));
	}

	@Test
	void principalIsTheAuthenticatedUserOfTheRequest() throws Exception {
		ConnectionRequest request = handshake("/request", "X-Test-User: alice");
		assertThat(request.principal()).isNotNull();
		assertThat(request.principal().getName()).isEqualTo("alice");
	}

	@Test
	void principalIsNullWithoutAnAuthenticatedUser() throws Exception {
		assertThat(handshake("/request").principal()).isNull();
	}

	@Test
	void requestIsAReadOnlySnapshot() throws Exception {
		ConnectionRequest request = handshake("/request?a=1", "Cookie: session=abc123", "Sec-WebSocket-Protocol: zeta",
				"Sec-WebSocket-Extensions: x-custom; a=1; b");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> request.headers().add("X-Added", "1"));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> request.params().add("b", "2"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> request.params().get("a").add("2"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> request.cookies().add("theme", "dark"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> request.protocols().add("alpha"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> request.extensions().get(0).parameters().put("c", "3"));
		assertThat(request.params()).containsOnly(entry("a", List.of("1")));
		assertThat(request.cookies()).containsOnly(entry("session", List.of("abc123")));
	}

	private ConnectionRequest handshake(String path, String... headerLines) throws Exception {
		List<String> head = RawWebSocket.exchangeHead(this.port,
				RawWebSocket.handshakeLines(this.port, path, headerLines));
		assertThat(head.get(0)).contains(" 101 ");
		return request();
	}

	private ConnectionRequest request() throws InterruptedException {
		return (ConnectionRequest) this.recorder.await("onConnect", TIMEOUT).detail(0);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, RequestRecordingProtocol.class, ServletAuthentication.class,
			ReactiveAuthentication.class })
	static class RequestApplication {

	}

	/**
	 * Stands in for Spring Security on the servlet stack: a request with
	 * {@code X-Test-User} is authenticated as that user.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class ServletAuthentication {

		@Bean
		Filter testAuthenticationFilter() {
			return (request, response, chain) -> {
				String user = ((HttpServletRequest) request).getHeader("X-Test-User");
				chain.doFilter((user != null) ? new AuthenticatedRequest((HttpServletRequest) request, user) : request,
						response);
			};
		}

	}

	/**
	 * Stands in for Spring Security on the reactive stack.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	static class ReactiveAuthentication {

		@Bean
		WebFilter testAuthenticationWebFilter() {
			return (exchange, chain) -> {
				String user = exchange.getRequest().getHeaders().getFirst("X-Test-User");
				if (user == null) {
					return chain.filter(exchange);
				}
				Principal principal = () -> user;
				return chain.filter(exchange.mutate().principal(Mono.just(principal)).build());
			};
		}

	}

	static class AuthenticatedRequest extends HttpServletRequestWrapper {

		private final Principal principal;

		AuthenticatedRequest(HttpServletRequest request, String user) {
			super(request);
			this.principal = () -> user;
		}

		@Override
		public Principal getUserPrincipal() {
			return this.principal;
		}

	}

	@WebSocketEndpoint("/request")
	static class RequestRecordingProtocol extends RecordingProtocol {

		RequestRecordingProtocol(HookRecorder recorder) {
			super(recorder);
		}

		@Override
		public @Nullable ConnectionAccept onConnect(ConnectionRequest request) {
			this.recorder.record("onConnect", request);
			return null;
		}

		@Override
		public void onOpen() {
			try {
				ConnectionRequest request = getRequest();
				this.recorder.record("onOpen", String.valueOf(request.headers().getFirst("X-Marker")), request.path());
			}
			catch (RuntimeException ex) {
				this.recorder.record("onOpen", ex.toString(), "");
			}
		}

	}

}
