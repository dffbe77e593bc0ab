package io.autobahn.spring.websocket.behaviour;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.test.RawWebSocket;
import io.autobahn.spring.websocket.test.StackProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peer behind a proxy: with {@code trust-x-forwarded-for: N} it is the
 * {@code X-Forwarded-For} entry N places from the right, as a bare IP, whatever
 * {@code server.forward-headers-strategy} says, so that an address a client put at the
 * left of the header is never taken for its own; without it the header is ignored;
 * without the header it is the address of the connection. On the application's port and
 * on a dedicated one. One application per strategy, shared by the cases. Subclassed per
 * container.
 */
class ProxyPeerTests {

	private static final Map<String, ConfigurableApplicationContext> applications = new HashMap<>();

	/** A client that forged the leftmost entry, then the address the one proxy saw. */
	static final String FORGED = "203.0.113.7, 198.51.100.9";

	@ParameterizedTest(name = "server.forward-headers-strategy={0}")
	@ValueSource(strings = { "none", "framework", "native" })
	void aTrustedProxysEntryIsThePeerAndAForgedLeftmostOneNever(String strategy) throws Exception {
		ConfigurableApplicationContext context = application(strategy);
		int port = port(context, "local.server.port");
		int dedicatedPort = port(context, "local.autobahn.websocket.dedicated.port");
		boolean containerConsumesHeader = strategy.equals("native")
				&& StackProfile.current().rewritesForwardedForNatively();
		String trustedOne = peer(port, "/trusting", FORGED);
		if (containerConsumesHeader) {
			// Tomcat's RemoteIpValve has taken the header over, right to left past its
			// internal proxies (127.0.0.1 is one): its answer, with the port it keeps.
			assertThat(trustedOne).startsWith("tcp4:198.51.100.9:");
			assertThat(peer(port, "/trusting-two", FORGED)).startsWith("tcp4:198.51.100.9:");
		}
		else {
			assertThat(trustedOne).isEqualTo("198.51.100.9");
			assertThat(peer(port, "/trusting-two", FORGED)).isEqualTo("203.0.113.7");
		}
		assertThat(peer(dedicatedPort, "/dedicated", FORGED)).isEqualTo("198.51.100.9");
	}

	@ParameterizedTest(name = "server.forward-headers-strategy={0}")
	@ValueSource(strings = { "none", "framework", "native" })
	void withoutTheHeaderTheTrustingPeerIsTheConnectionsAddress(String strategy) throws Exception {
		ConfigurableApplicationContext context = application(strategy);
		int port = port(context, "local.server.port");
		int dedicatedPort = port(context, "local.autobahn.websocket.dedicated.port");
		try (RawWebSocket client = RawWebSocket.connect(port, "/trusting")) {
			assertThat(client.readMessage().text()).isEqualTo("tcp4:127.0.0.1:" + client.socket().getLocalPort());
		}
		try (RawWebSocket client = RawWebSocket.connect(dedicatedPort, "/dedicated")) {
			assertThat(client.readMessage().text()).isEqualTo("tcp4:127.0.0.1:" + client.socket().getLocalPort());
		}
	}

	@Test
	void byDefaultTheHeaderIsIgnored() throws Exception {
		ConfigurableApplicationContext context = application("none");
		int port = port(context, "local.server.port");
		try (RawWebSocket client = RawWebSocket.connect(port, "/untrusting", Map.of("X-Forwarded-For", FORGED))) {
			assertThat(client.readMessage().text()).isEqualTo("tcp4:127.0.0.1:" + client.socket().getLocalPort());
		}
	}

	private static String peer(int port, String path, String forwardedFor) throws Exception {
		try (RawWebSocket client = RawWebSocket.connect(port, path, Map.of("X-Forwarded-For", forwardedFor))) {
			assertThat(client.handshake().status()).isEqualTo(101);
			return client.readMessage().text();
		}
	}

	private static int port(ConfigurableApplicationContext context, String property) {
		return Integer.parseInt(context.getEnvironment().getRequiredProperty(property));
	}

	@AfterAll
	static void closeApplications() {
		applications.values().forEach(ConfigurableApplicationContext::close);
		applications.clear();
	}

	private static ConfigurableApplicationContext application(String strategy) {
		return applications.computeIfAbsent(strategy, ProxyPeerTests::start);
	}

	private static ConfigurableApplicationContext start(String strategy) {
		return new SpringApplicationBuilder(ProxyApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"server.forward-headers-strategy=" + strategy,
					"autobahn.websocket.endpoints.trusting.trust-x-forwarded-for=1",
					"autobahn.websocket.endpoints.trusting-two.trust-x-forwarded-for=2",
					"autobahn.websocket.endpoints.dedicated.port=0",
					"autobahn.websocket.endpoints.dedicated.trust-x-forwarded-for=1")
			.run();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Trusting.class, TrustingTwo.class, Untrusting.class, Dedicated.class })
	static class ProxyApplication {

	}

	/**
	 * Sends the peer as its first message.
	 */
	abstract static class PeerProtocol extends WebSocketServerProtocol {

		@Override
		public void onOpen() {
			sendMessage(getRequest().peer());
		}

	}

	@WebSocketEndpoint(path = "/trusting", name = "trusting")
	static class Trusting extends PeerProtocol {

	}

	@WebSocketEndpoint(path = "/trusting-two", name = "trusting-two")
	static class TrustingTwo extends PeerProtocol {

	}

	@WebSocketEndpoint(path = "/untrusting", name = "untrusting")
	static class Untrusting extends PeerProtocol {

	}

	@WebSocketEndpoint(path = "/dedicated", name = "dedicated")
	static class Dedicated extends PeerProtocol {

	}

}
