package io.autobahn.spring.websocket.handshake;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The origin policy compares origins as RFC 6454 does, refuses what is not one origin,
 * and keeps the configured patterns working.
 */
class OriginPolicyTests {

	private final OriginPolicy sameOriginOnly = new OriginPolicy(List.of());

	private final OriginPolicy withPatterns = new OriginPolicy(
			List.of("https://*.Example.com", "http://partner.test:[8080,8081]"));

	@ParameterizedTest(name = "{0} to {1}: {2}")
	@CsvSource(delimiter = '|', textBlock = """
			http://example.com         | http://example.com/ws       | true
			http://example.com:80      | http://example.com/ws       | true
			http://example.com         | http://example.com:80/ws    | true
			https://example.com        | https://example.com:443/ws  | true
			https://example.com        | wss://example.com/ws        | true
			http://example.com         | ws://example.com/ws         | true
			HTTP://EXAMPLE.COM         | http://example.com/ws       | true
			http://localhost:8080      | http://LOCALHOST:8080/ws    | true
			http://[::1]:8080          | http://[::1]:8080/ws        | true
			https://example.com        | http://example.com/ws       | false
			http://example.com:8080    | http://example.com/ws       | false
			http://example.com         | http://example.com:8080/ws  | false
			http://other.example.com   | http://example.com/ws       | false
			http://example.com/        | http://example.com/ws       | false
			http://example.com/ws      | http://example.com/ws       | false
			http://user@example.com    | http://example.com/ws       | false
			http://example.com:80.evil | http://example.com/ws       | false
			http://example.com:99999   | http://example.com/ws       | false
			http://example.com:        | http://example.com/ws       | false
			http://                    | http://example.com/ws       | false
			example.com                | http://example.com/ws       | false
			ws:/example.com            | http://example.com/ws       | false
			http://[::1                | http://[::1]/ws             | false
			null                       | http://example.com/ws       | false
			""")
	void sameOriginIsComparedAsRfc6454Says(String origin, URI request, boolean allowed) {
		assertThat(this.sameOriginOnly.allows(List.of(origin), request)).isEqualTo(allowed);
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|', textBlock = """
			https://app.example.com           | true
			https://APP.EXAMPLE.COM           | true
			https://a.b.example.com           | true
			http://app.example.com            | false
			https://app.example.com:8443      | false
			https://example.com.evil.test     | false
			https://evil.test/.example.com    | false
			https://evil.test:1.example.com   | false
			http://partner.test:8080          | true
			http://partner.test:8081          | true
			http://partner.test:8082          | false
			http://partner.test               | false
			""")
	void configuredPatternsAdmitWhatTheyMatch(String origin, boolean allowed) {
		assertThat(this.withPatterns.allows(List.of(origin), URI.create("http://server.test/ws"))).isEqualTo(allowed);
	}

	@Test
	void requestWithoutOriginIsAllowed() {
		assertThat(this.sameOriginOnly.allows(List.of(), URI.create("http://example.com/ws"))).isTrue();
	}

	@Test
	void moreThanOneOriginHeaderIsRefusedEvenWhenEachIsAllowed() {
		assertThat(this.sameOriginOnly.allows(List.of("http://example.com", "http://example.com"),
				URI.create("http://example.com/ws")))
			.isFalse();
	}

	@Test
	void wildcardAdmitsEveryWellFormedOriginButNoMalformedOne() {
		OriginPolicy any = new OriginPolicy(List.of("*"));
		URI request = URI.create("http://server.test/ws");
		assertThat(any.allows(List.of("https://anything.test:4443"), request)).isTrue();
		assertThat(any.allows(List.of("null"), request)).isTrue();
		assertThat(any.allows(List.of("a, b"), request)).isFalse();
		assertThat(any.allows(List.of("https://anything.test/path"), request)).isFalse();
	}

}
