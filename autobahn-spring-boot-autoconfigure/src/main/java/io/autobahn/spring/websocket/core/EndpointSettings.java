package io.autobahn.spring.websocket.core;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The resolved options of one endpoint, independent of the web stack.
 *
 * @param allowedOrigins origins (patterns) allowed to connect; empty means same origin only
 * @param maxMessagePayloadSize the largest incoming message in bytes, after decompression
 * @param maxFramePayloadSize the largest incoming frame payload in bytes, or 0 for no own
 * limit
 * @param autoFragmentSize outgoing messages longer than this are fragmented, 0 for never
 * @param openHandshakeTimeout how long a client may take to complete the opening handshake
 * @param closeHandshakeTimeout how long to wait for the peer's close frame before dropping
 * the connection
 * @param autoPingInterval interval of server pings, or {@code null} for none
 * @param autoPingTimeout how long to wait for a pong before dropping, or {@code null} for
 * no timeout
 * @param autoPingSize the ping payload size in bytes (12-125)
 * @param autoPingRestartOnAnyTraffic whether any incoming message counts as a pong
 * @param perMessageCompression whether permessage-deflate is negotiated
 * @param subprotocols subprotocols chosen automatically when offered and
 * {@code onConnect} picks none
 * @param sendBufferSizeLimit the most bytes queued for sending per connection
 * @param sendTimeLimit the longest a single send may take before the connection is
 * considered stuck
 * @param blockingHooks whether hooks may block, so must not run on an event loop
 * @param maxConnections the most connections open at once, or 0 for no limit of its own
 * @param inboundBudget the most bytes its partly received messages may hold together, or 0
 * for no limit of its own (the application's applies)
 * @param outboundBudget the most bytes its send queues may hold together, or 0 for no
 * limit of its own (the application's applies)
 */
public record EndpointSettings(List<String> allowedOrigins, long maxMessagePayloadSize, long maxFramePayloadSize,
		int autoFragmentSize, Duration openHandshakeTimeout, Duration closeHandshakeTimeout,
		@Nullable Duration autoPingInterval, @Nullable Duration autoPingTimeout, int autoPingSize,
		boolean autoPingRestartOnAnyTraffic, boolean perMessageCompression, List<String> subprotocols,
		long sendBufferSizeLimit, Duration sendTimeLimit, boolean blockingHooks, int maxConnections,
		long inboundBudget, long outboundBudget) {

	/**
	 * Return whether the server pings on its own.
	 * @return whether an auto-ping interval is set
	 */
	public boolean isAutoPingEnabled() {
		return this.autoPingInterval != null && !this.autoPingInterval.isZero();
	}

}
