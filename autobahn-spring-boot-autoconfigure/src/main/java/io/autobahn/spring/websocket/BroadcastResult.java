package io.autobahn.spring.websocket;

/**
 * What a broadcast did ({@link WebSocketConnections#broadcast(PreparedMessage)}): how
 * many open connections it selected, how many took the message into their send path, and
 * how many did not (closed meanwhile, or dropped because the message took them past
 * {@code send-buffer-size-limit} or the outbound budget). Sent means handed to the
 * connection, not yet read by its peer.
 *
 * @param matched the connections the filter selected
 * @param sent the connections that took the message
 * @param failed the connections that did not ({@code matched - sent})
 */
public record BroadcastResult(int matched, int sent, int failed) {

	@Override
	public String toString() {
		return "BroadcastResult[matched=" + this.matched + ", sent=" + this.sent + ", failed=" + this.failed + "]";
	}

}
