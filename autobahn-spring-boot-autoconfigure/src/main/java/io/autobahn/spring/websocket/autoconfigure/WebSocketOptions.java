package io.autobahn.spring.websocket.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * The options every endpoint has: set under {@code autobahn.websocket} for all endpoints,
 * and under {@code autobahn.websocket.endpoints.<name>} for one.
 */
public class WebSocketOptions {

	/**
	 * Origins allowed to open a connection, as exact origins or patterns such as
	 * "https://*.example.com" or "*". Empty: same origin only. Requests without an Origin
	 * header (non-browser clients) are always allowed; a rejected origin gets 403.
	 */
	private List<String> allowedOrigins = new ArrayList<>();

	/**
	 * Largest incoming message, measured after decompression. A larger message closes the
	 * connection with 1009 without being buffered whole.
	 */
	private DataSize maxMessagePayloadSize = DataSize.ofMegabytes(1);

	/**
	 * Largest incoming frame payload. Not set: only max-message-payload-size applies.
	 */
	private @Nullable DataSize maxFramePayloadSize;

	/**
	 * Outgoing messages longer than this are sent in fragments of this size. Not set: no
	 * automatic fragmentation.
	 */
	private @Nullable DataSize autoFragmentSize;

	/**
	 * How long a client may take to complete the opening handshake.
	 */
	private Duration openHandshakeTimeout = Duration.ofSeconds(5);

	/**
	 * How long to wait for the peer's close frame after sending one before dropping the
	 * connection.
	 */
	private Duration closeHandshakeTimeout = Duration.ofSeconds(1);

	/**
	 * Interval of server-initiated pings. Not set: no automatic pings.
	 */
	private @Nullable Duration autoPingInterval;

	/**
	 * How long to wait for the pong to an automatic ping before dropping the connection
	 * (onClose gets 1006). Not set: pings are sent but nobody waits for the pong.
	 */
	private @Nullable Duration autoPingTimeout;

	/**
	 * Payload size of automatic pings in bytes (12-125): an 8-byte timestamp, a 4-byte
	 * sequence number and random padding.
	 */
	private int autoPingSize = 12;

	/**
	 * Whether any incoming message, not just the pong, counts as an answer to an automatic
	 * ping.
	 */
	private boolean autoPingRestartOnAnyTraffic = true;

	/**
	 * Whether to accept a client's permessage-deflate offer.
	 */
	private boolean perMessageCompression = true;

	/**
	 * Subprotocols this endpoint speaks. When onConnect picks none, the first one the
	 * client offers from this list is chosen.
	 */
	private List<String> subprotocols = new ArrayList<>();

	/**
	 * Most bytes queued for sending per connection while a write is in progress. Past it
	 * the connection is dropped and the failing send raises Disconnected.
	 */
	private DataSize sendBufferSizeLimit = DataSize.ofMegabytes(1);

	/**
	 * Longest a single write may take. A write still in progress after this drops the
	 * connection (the peer is not reading).
	 */
	private Duration sendTimeLimit = Duration.ofSeconds(10);

	/**
	 * Whether the endpoint's hooks may block. On the reactive stack they then run on
	 * Reactor's bounded-elastic scheduler instead of the Netty event loop (still one at a
	 * time per connection, reading from the socket only as fast as they complete). The
	 * servlet stack always runs hooks on the container's worker threads.
	 */
	private boolean blockingHooks;

	/**
	 * Most connections open at once; past it a new handshake gets 503 before onConnect. Not
	 * set: no limit of the endpoint's own (autobahn.websocket.application.max-connections
	 * still applies).
	 */
	private @Nullable Integer maxConnections;

	/**
	 * Most bytes all partly received messages of the endpoint may hold together (inflated
	 * bytes counted); a message that would pass it closes its connection with 1013. Not
	 * set: only autobahn.websocket.application.inbound-budget applies.
	 */
	private @Nullable DataSize inboundBudget;

	/**
	 * Most bytes all send queues of the endpoint may hold together; a send past it drops its
	 * connection as for send-buffer-size-limit. Not set: only
	 * autobahn.websocket.application.outbound-budget applies.
	 */
	private @Nullable DataSize outboundBudget;

	public List<String> getAllowedOrigins() {
		return this.allowedOrigins;
	}

	public void setAllowedOrigins(List<String> allowedOrigins) {
		this.allowedOrigins = allowedOrigins;
	}

	public DataSize getMaxMessagePayloadSize() {
		return this.maxMessagePayloadSize;
	}

	public void setMaxMessagePayloadSize(DataSize maxMessagePayloadSize) {
		this.maxMessagePayloadSize = maxMessagePayloadSize;
	}

	public @Nullable DataSize getMaxFramePayloadSize() {
		return this.maxFramePayloadSize;
	}

	public void setMaxFramePayloadSize(@Nullable DataSize maxFramePayloadSize) {
		this.maxFramePayloadSize = maxFramePayloadSize;
	}

	public @Nullable DataSize getAutoFragmentSize() {
		return this.autoFragmentSize;
	}

	public void setAutoFragmentSize(@Nullable DataSize autoFragmentSize) {
		this.autoFragmentSize = autoFragmentSize;
	}

	public Duration getOpenHandshakeTimeout() {
		return this.openHandshakeTimeout;
	}

	public void setOpenHandshakeTimeout(Duration openHandshakeTimeout) {
		this.openHandshakeTimeout = openHandshakeTimeout;
	}

	public Duration getCloseHandshakeTimeout() {
		return this.closeHandshakeTimeout;
	}

	public void setCloseHandshakeTimeout(Duration closeHandshakeTimeout) {
		this.closeHandshakeTimeout = closeHandshakeTimeout;
	}

	public @Nullable Duration getAutoPingInterval() {
		return this.autoPingInterval;
	}

	public void setAutoPingInterval(@Nullable Duration autoPingInterval) {
		this.autoPingInterval = autoPingInterval;
	}

	public @Nullable Duration getAutoPingTimeout() {
		return this.autoPingTimeout;
	}

	public void setAutoPingTimeout(@Nullable Duration autoPingTimeout) {
		this.autoPingTimeout = autoPingTimeout;
	}

	public int getAutoPingSize() {
		return this.autoPingSize;
	}

	public void setAutoPingSize(int autoPingSize) {
		this.autoPingSize = autoPingSize;
	}

	public boolean isAutoPingRestartOnAnyTraffic() {
		return this.autoPingRestartOnAnyTraffic;
	}

	public void setAutoPingRestartOnAnyTraffic(boolean autoPingRestartOnAnyTraffic) {
		this.autoPingRestartOnAnyTraffic = autoPingRestartOnAnyTraffic;
	}

	public boolean isPerMessageCompression() {
		return this.perMessageCompression;
	}

	public void setPerMessageCompression(boolean perMessageCompression) {
		this.perMessageCompression = perMessageCompression;
	}

	public List<String> getSubprotocols() {
		return this.subprotocols;
	}

	public void setSubprotocols(List<String> subprotocols) {
		this.subprotocols = subprotocols;
	}

	public DataSize getSendBufferSizeLimit() {
		return this.sendBufferSizeLimit;
	}

	public void setSendBufferSizeLimit(DataSize sendBufferSizeLimit) {
		this.sendBufferSizeLimit = sendBufferSizeLimit;
	}

	public Duration getSendTimeLimit() {
		return this.sendTimeLimit;
	}

	public void setSendTimeLimit(Duration sendTimeLimit) {
		this.sendTimeLimit = sendTimeLimit;
	}

	public boolean isBlockingHooks() {
		return this.blockingHooks;
	}

	public void setBlockingHooks(boolean blockingHooks) {
		this.blockingHooks = blockingHooks;
	}

	public @Nullable Integer getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(@Nullable Integer maxConnections) {
		this.maxConnections = maxConnections;
	}

	public @Nullable DataSize getInboundBudget() {
		return this.inboundBudget;
	}

	public void setInboundBudget(@Nullable DataSize inboundBudget) {
		this.inboundBudget = inboundBudget;
	}

	public @Nullable DataSize getOutboundBudget() {
		return this.outboundBudget;
	}

	public void setOutboundBudget(@Nullable DataSize outboundBudget) {
		this.outboundBudget = outboundBudget;
	}

}
