package io.autobahn.spring.websocket.handshake;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DeflateOffers}: which permessage-deflate offers RFC 7692 (7.1) lets a
 * server accept at all.
 */
class DeflateOffersTests {

	@ParameterizedTest
	@ValueSource(strings = { "permessage-deflate", "permessage-deflate; client_max_window_bits",
			"permessage-deflate;client_max_window_bits=8", "permessage-deflate; server_max_window_bits=\"10\"",
			"permessage-deflate; Server_No_Context_Takeover; client_no_context_takeover; server_max_window_bits=15" })
	void validOffers(String offer) {
		assertThat(DeflateOffers.isValid(offer)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "permessage-deflate; unknown", "permessage-deflate; server_max_window_bits",
			"permessage-deflate; server_max_window_bits=7", "permessage-deflate; server_max_window_bits=16",
			"permessage-deflate; server_max_window_bits=010", "permessage-deflate; client_max_window_bits=abc",
			"permessage-deflate; server_no_context_takeover=1",
			"permessage-deflate; client_no_context_takeover; client_no_context_takeover",
			"permessage-deflate; server_max_window_bits=10; server_max_window_bits=12" })
	void invalidOffers(String offer) {
		assertThat(DeflateOffers.isValid(offer)).isFalse();
	}

}
