package io.autobahn.spring.websocket;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * What a client's {@link WebSocketClientProtocol#onConnecting onConnecting} asks of the
 * opening handshake it is about to send: Autobahn's {@code ConnectingRequest}. Each part
 * left unset keeps what the connect's {@link WebSocketClientOptions} say: the headers are
 * added to the options' headers (a name given here replaces the options' values of that
 * name), a non-null origin replaces the options' origin, and a non-empty list of
 * subprotocols replaces the options'. Immutable; build one with {@link #builder()}.
 *
 * @param headers the headers to send in addition to the options' (read-only)
 * @param origin the {@code Origin} to send, or {@code null} for the options' origin
 * @param protocols the subprotocols to offer, in order of preference, or empty for the
 * options' subprotocols
 */
public record ConnectingRequest(HttpHeaders headers, @Nullable String origin, List<String> protocols) {

	/**
	 * Create a request.
	 * @param headers the headers to send in addition to the options'
	 * @param origin the origin, or {@code null} for the options'
	 * @param protocols the subprotocols to offer, or empty for the options'
	 */
	public ConnectingRequest {
		headers = HttpHeaders.readOnlyHttpHeaders(HttpHeaders.copyOf(headers));
		protocols = List.copyOf(protocols);
	}

	/**
	 * Return a builder of a request that changes nothing.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Builds a {@link ConnectingRequest}; not thread-safe.
	 */
	public static final class Builder {

		private final HttpHeaders headers = new HttpHeaders();

		private @Nullable String origin;

		private List<String> protocols = List.of();

		private Builder() {
		}

		/**
		 * Send a header, replacing the options' values of that name.
		 * @param name the header's name
		 * @param values its values, each sent as a line of its own
		 * @return this builder
		 */
		public Builder header(String name, String... values) {
			this.headers.put(name, List.of(values));
			return this;
		}

		/**
		 * Send this {@code Origin} instead of the options'.
		 * @param origin the origin, such as {@code https://example.com}
		 * @return this builder
		 */
		public Builder origin(String origin) {
			this.origin = origin;
			return this;
		}

		/**
		 * Offer these subprotocols instead of the options'.
		 * @param protocols the subprotocols, in order of preference
		 * @return this builder
		 */
		public Builder protocols(String... protocols) {
			this.protocols = List.of(protocols);
			return this;
		}

		/**
		 * Build the request.
		 * @return the request
		 */
		public ConnectingRequest build() {
			return new ConnectingRequest(this.headers, this.origin, this.protocols);
		}

	}

}
