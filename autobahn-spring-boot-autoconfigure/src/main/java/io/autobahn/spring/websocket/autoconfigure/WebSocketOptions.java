package io.autobahn.spring.websocket.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;

import io.autobahn.spring.websocket.core.EndpointSettings;

/**
 * The options every endpoint has, each defined here once: its name (the field), type,
 * default (the field's initial value) and description (the field's javadoc, from which
 * the configuration metadata is generated). They are set under {@code autobahn.websocket}
 * for every endpoint, and under {@code autobahn.websocket.endpoints.<name>} for one,
 * where every option starts unset ({@code null}) and only what is set overrides the
 * top-level value.
 * <p>
 * Adding an option means: a field here with its javadoc and default, its line in
 * {@link #clear()}, {@link #applyTo(EndpointSettings.Builder)} and, when it has bounds,
 * {@link #validate(Errors)}, the builder method in {@link EndpointSettings}, and its
 * per-endpoint entry in {@code additional-spring-configuration-metadata.json} (a test
 * fails while one of these is missing).
 * <p>
 * Bound once at startup by Spring Boot, then only read.
 */
public class WebSocketOptions {

	private static final String MUST_BE_POSITIVE = "must be positive";

	private static final String MUST_NOT_BE_NEGATIVE = "must not be negative";

	/**
	 * Origins allowed to open a connection, as exact origins or patterns such as
	 * "https://*.example.com" or "*". Empty: same origin only. Requests without an Origin
	 * header (non-browser clients) are always allowed; a rejected origin gets 403.
	 */
	private @Nullable List<String> allowedOrigins = new ArrayList<>();

	/**
	 * Largest incoming message, measured after decompression. A larger message closes the
	 * connection with 1009 without being buffered whole.
	 */
	private @Nullable DataSize maxMessagePayloadSize = DataSize.ofMegabytes(1);

	/**
	 * Largest incoming frame payload. Not set: only max-message-payload-size applies.
	 */
	private @Nullable DataSize maxFramePayloadSize;

	/**
	 * Largest incoming message, measured after decompression, of an endpoint whose
	 * protocol streams its messages (overrides onMessageFrameData), which
	 * max-message-payload-size does not bound: a larger message closes the connection
	 * with 1009 before its first byte past the limit is handed over. 0: no limit.
	 */
	private @Nullable DataSize maxStreamedMessageSize = DataSize.ofGigabytes(1);

	/**
	 * Outgoing messages longer than this are sent in fragments of this size. Not set: no
	 * automatic fragmentation.
	 */
	private @Nullable DataSize autoFragmentSize;

	/**
	 * How long a client may take to complete the opening handshake. Not set: 5s, where
	 * the stack applies it; 0: none.
	 */
	private @Nullable Duration openHandshakeTimeout;

	/**
	 * How long to wait for the peer's close frame after sending one before dropping the
	 * connection.
	 */
	private @Nullable Duration closeHandshakeTimeout = Duration.ofSeconds(1);

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
	private @Nullable Integer autoPingSize = 12;

	/**
	 * Whether any incoming message, not just the pong, counts as an answer to an
	 * automatic ping.
	 */
	private @Nullable Boolean autoPingRestartOnAnyTraffic = true;

	/**
	 * Whether to accept a client's permessage-deflate offer.
	 */
	private @Nullable Boolean perMessageCompression = true;

	/**
	 * Subprotocols this endpoint speaks. When onConnect picks none, the first one the
	 * client offers from this list is chosen.
	 */
	private @Nullable List<String> subprotocols = new ArrayList<>();

	/**
	 * Most bytes sent and not yet written per connection. A send past it drops the
	 * connection and raises Disconnected (a send while nothing is held goes out whatever
	 * its size).
	 */
	private @Nullable DataSize sendBufferSizeLimit = DataSize.ofMegabytes(1);

	/**
	 * Bytes sent and not yet written past which a connection is not writable
	 * (isWritable() says false until onWritable). Not set: half of
	 * send-buffer-size-limit; at most send-buffer-size-limit.
	 */
	private @Nullable DataSize sendBufferHighWaterMark;

	/**
	 * Bytes sent and not yet written at which a connection that was not writable is again
	 * (onWritable is called). Not set: half of send-buffer-high-water-mark; at most
	 * send-buffer-high-water-mark.
	 */
	private @Nullable DataSize sendBufferLowWaterMark;

	/**
	 * Longest a write may take: while sent bytes are not yet written, a connection on
	 * which no write completed for this long is dropped (the peer is not reading).
	 */
	private @Nullable Duration sendTimeLimit = Duration.ofSeconds(10);

	/**
	 * Whether the endpoint's hooks may block. On the reactive stack they then run on
	 * Reactor's bounded-elastic scheduler instead of the Netty event loop (still one at a
	 * time per connection, reading from the socket only as fast as they complete). The
	 * servlet stack always runs hooks on the container's worker threads.
	 */
	private @Nullable Boolean blockingHooks = false;

	/**
	 * Most connections open at once; past it a new handshake gets 503 before onConnect.
	 * Not set: no limit of the endpoint's own
	 * (autobahn.websocket.application.max-connections still applies).
	 */
	private @Nullable Integer maxConnections;

	/**
	 * Most bytes all partly received messages of the endpoint may hold together (inflated
	 * bytes counted); a message that would pass it closes its connection with 1013. Not
	 * set: only autobahn.websocket.application.inbound-budget applies.
	 */
	private @Nullable DataSize inboundBudget;

	/**
	 * Most bytes all send queues of the endpoint may hold together; a send past it drops
	 * its connection as for send-buffer-size-limit. Not set: only
	 * autobahn.websocket.application.outbound-budget applies.
	 */
	private @Nullable DataSize outboundBudget;

	/**
	 * How many proxies in front of the server are trusted to append the address they
	 * received the request from to X-Forwarded-For: the peer is then the address that
	 * many entries from the right, as Autobahn's trustXForwardedFor. 0: the header is
	 * ignored.
	 */
	private @Nullable Integer trustXForwardedFor = 0;

	public @Nullable List<String> getAllowedOrigins() {
		return this.allowedOrigins;
	}

	public void setAllowedOrigins(@Nullable List<String> allowedOrigins) {
		this.allowedOrigins = allowedOrigins;
	}

	public @Nullable DataSize getMaxMessagePayloadSize() {
		return this.maxMessagePayloadSize;
	}

	public void setMaxMessagePayloadSize(@Nullable DataSize maxMessagePayloadSize) {
		this.maxMessagePayloadSize = maxMessagePayloadSize;
	}

	public @Nullable DataSize getMaxFramePayloadSize() {
		return this.maxFramePayloadSize;
	}

	public void setMaxFramePayloadSize(@Nullable DataSize maxFramePayloadSize) {
		this.maxFramePayloadSize = maxFramePayloadSize;
	}

	public @Nullable DataSize getMaxStreamedMessageSize() {
		return this.maxStreamedMessageSize;
	}

	public void setMaxStreamedMessageSize(@Nullable DataSize maxStreamedMessageSize) {
		this.maxStreamedMessageSize = maxStreamedMessageSize;
	}

	public @Nullable DataSize getAutoFragmentSize() {
		return this.autoFragmentSize;
	}

	public void setAutoFragmentSize(@Nullable DataSize autoFragmentSize) {
		this.autoFragmentSize = autoFragmentSize;
	}

	public @Nullable Duration getOpenHandshakeTimeout() {
		return this.openHandshakeTimeout;
	}

	public void setOpenHandshakeTimeout(@Nullable Duration openHandshakeTimeout) {
		this.openHandshakeTimeout = openHandshakeTimeout;
	}

	public @Nullable Duration getCloseHandshakeTimeout() {
		return this.closeHandshakeTimeout;
	}

	public void setCloseHandshakeTimeout(@Nullable Duration closeHandshakeTimeout) {
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

	public @Nullable Integer getAutoPingSize() {
		return this.autoPingSize;
	}

	public void setAutoPingSize(@Nullable Integer autoPingSize) {
		this.autoPingSize = autoPingSize;
	}

	public @Nullable Boolean getAutoPingRestartOnAnyTraffic() {
		return this.autoPingRestartOnAnyTraffic;
	}

	public void setAutoPingRestartOnAnyTraffic(@Nullable Boolean autoPingRestartOnAnyTraffic) {
		this.autoPingRestartOnAnyTraffic = autoPingRestartOnAnyTraffic;
	}

	public @Nullable Boolean getPerMessageCompression() {
		return this.perMessageCompression;
	}

	public void setPerMessageCompression(@Nullable Boolean perMessageCompression) {
		this.perMessageCompression = perMessageCompression;
	}

	public @Nullable List<String> getSubprotocols() {
		return this.subprotocols;
	}

	public void setSubprotocols(@Nullable List<String> subprotocols) {
		this.subprotocols = subprotocols;
	}

	public @Nullable DataSize getSendBufferSizeLimit() {
		return this.sendBufferSizeLimit;
	}

	public void setSendBufferSizeLimit(@Nullable DataSize sendBufferSizeLimit) {
		this.sendBufferSizeLimit = sendBufferSizeLimit;
	}

	public @Nullable DataSize getSendBufferHighWaterMark() {
		return this.sendBufferHighWaterMark;
	}

	public void setSendBufferHighWaterMark(@Nullable DataSize sendBufferHighWaterMark) {
		this.sendBufferHighWaterMark = sendBufferHighWaterMark;
	}

	public @Nullable DataSize getSendBufferLowWaterMark() {
		return this.sendBufferLowWaterMark;
	}

	public void setSendBufferLowWaterMark(@Nullable DataSize sendBufferLowWaterMark) {
		this.sendBufferLowWaterMark = sendBufferLowWaterMark;
	}

	public @Nullable Duration getSendTimeLimit() {
		return this.sendTimeLimit;
	}

	public void setSendTimeLimit(@Nullable Duration sendTimeLimit) {
		this.sendTimeLimit = sendTimeLimit;
	}

	public @Nullable Boolean getBlockingHooks() {
		return this.blockingHooks;
	}

	public void setBlockingHooks(@Nullable Boolean blockingHooks) {
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

	public @Nullable Integer getTrustXForwardedFor() {
		return this.trustXForwardedFor;
	}

	public void setTrustXForwardedFor(@Nullable Integer trustXForwardedFor) {
		this.trustXForwardedFor = trustXForwardedFor;
	}

	/**
	 * Unset every option, so that an endpoint's block overrides only what it names.
	 */
	final void clear() {
		this.allowedOrigins = null;
		this.maxMessagePayloadSize = null;
		this.maxFramePayloadSize = null;
		this.maxStreamedMessageSize = null;
		this.autoFragmentSize = null;
		this.openHandshakeTimeout = null;
		this.closeHandshakeTimeout = null;
		this.autoPingInterval = null;
		this.autoPingTimeout = null;
		this.autoPingSize = null;
		this.autoPingRestartOnAnyTraffic = null;
		this.perMessageCompression = null;
		this.subprotocols = null;
		this.sendBufferSizeLimit = null;
		this.sendBufferHighWaterMark = null;
		this.sendBufferLowWaterMark = null;
		this.sendTimeLimit = null;
		this.blockingHooks = null;
		this.maxConnections = null;
		this.inboundBudget = null;
		this.outboundBudget = null;
		this.trustXForwardedFor = null;
	}

	/**
	 * Apply the options that are set to the given builder, leaving the others as they
	 * are. Public for the test kit's {@code ProtocolTester}, which builds an endpoint's
	 * settings from these defaults as the application does.
	 * @param builder the builder of an endpoint's settings
	 */
	public final void applyTo(EndpointSettings.Builder builder) {
		PropertyMapper map = PropertyMapper.get();
		map.from(this.allowedOrigins).to(builder::allowedOrigins);
		map.from(this.maxMessagePayloadSize).as(DataSize::toBytes).to(builder::maxMessagePayloadSize);
		map.from(this.maxFramePayloadSize).as(DataSize::toBytes).to(builder::maxFramePayloadSize);
		map.from(this.maxStreamedMessageSize).as(DataSize::toBytes).to(builder::maxStreamedMessageSize);
		map.from(this.autoFragmentSize).asInt(DataSize::toBytes).to(builder::autoFragmentSize);
		map.from(this.openHandshakeTimeout).to(builder::openHandshakeTimeout);
		map.from(this.closeHandshakeTimeout).to(builder::closeHandshakeTimeout);
		map.from(this.autoPingInterval).to(builder::autoPingInterval);
		map.from(this.autoPingTimeout).to(builder::autoPingTimeout);
		map.from(this.autoPingSize).to(builder::autoPingSize);
		map.from(this.autoPingRestartOnAnyTraffic).to(builder::autoPingRestartOnAnyTraffic);
		map.from(this.perMessageCompression).to(builder::perMessageCompression);
		map.from(this.subprotocols).to(builder::subprotocols);
		map.from(this.sendBufferSizeLimit).as(DataSize::toBytes).to(builder::sendBufferSizeLimit);
		map.from(this.sendBufferHighWaterMark).as(DataSize::toBytes).to(builder::sendBufferHighWaterMark);
		map.from(this.sendBufferLowWaterMark).as(DataSize::toBytes).to(builder::sendBufferLowWaterMark);
		map.from(this.sendTimeLimit).to(builder::sendTimeLimit);
		map.from(this.blockingHooks).to(builder::blockingHooks);
		map.from(this.maxConnections).to(builder::maxConnections);
		map.from(this.inboundBudget).as(DataSize::toBytes).to(builder::inboundBudget);
		map.from(this.outboundBudget).as(DataSize::toBytes).to(builder::outboundBudget);
		map.from(this.trustXForwardedFor).to(builder::trustXForwardedFor);
	}

	/**
	 * Reject the options that are set to a value out of their bounds. The field names are
	 * the properties' (camel case), by which Spring Boot finds where each value came
	 * from.
	 * @param errors the errors of the binding being validated
	 */
	void validate(Errors errors) {
		check(errors, "maxMessagePayloadSize", this.maxMessagePayloadSize, (size) -> size.toBytes() > 0,
				MUST_BE_POSITIVE);
		check(errors, "maxFramePayloadSize", this.maxFramePayloadSize, (size) -> size.toBytes() > 0, MUST_BE_POSITIVE);
		check(errors, "maxStreamedMessageSize", this.maxStreamedMessageSize, (size) -> size.toBytes() >= 0,
				MUST_NOT_BE_NEGATIVE + " (0: no limit)");
		check(errors, "autoFragmentSize", this.autoFragmentSize,
				(size) -> size.toBytes() >= 0 && size.toBytes() <= Integer.MAX_VALUE,
				"must be between 0 and " + Integer.MAX_VALUE + " bytes");
		check(errors, "openHandshakeTimeout", this.openHandshakeTimeout, (timeout) -> !timeout.isNegative(),
				MUST_NOT_BE_NEGATIVE + " (0: none)");
		check(errors, "closeHandshakeTimeout", this.closeHandshakeTimeout, (timeout) -> !timeout.isNegative(),
				MUST_NOT_BE_NEGATIVE);
		check(errors, "autoPingInterval", this.autoPingInterval, (interval) -> !interval.isNegative(),
				MUST_NOT_BE_NEGATIVE);
		check(errors, "autoPingTimeout", this.autoPingTimeout, WebSocketOptions::isPositive, MUST_BE_POSITIVE);
		check(errors, "autoPingSize", this.autoPingSize, (size) -> size >= 12 && size <= 125,
				"must be between 12 and 125 bytes (an 8-byte timestamp, a 4-byte sequence number and padding, "
						+ "in a control frame)");
		check(errors, "sendBufferSizeLimit", this.sendBufferSizeLimit, (size) -> size.toBytes() > 0, MUST_BE_POSITIVE);
		check(errors, "sendBufferHighWaterMark", this.sendBufferHighWaterMark, (size) -> size.toBytes() > 0,
				MUST_BE_POSITIVE);
		check(errors, "sendBufferLowWaterMark", this.sendBufferLowWaterMark, (size) -> size.toBytes() >= 0,
				MUST_NOT_BE_NEGATIVE);
		DataSize high = this.sendBufferHighWaterMark;
		check(errors, "sendBufferLowWaterMark", this.sendBufferLowWaterMark,
				(size) -> high == null || size.toBytes() <= high.toBytes(),
				"must not be more than send-buffer-high-water-mark");
		check(errors, "sendTimeLimit", this.sendTimeLimit, WebSocketOptions::isPositive, MUST_BE_POSITIVE);
		check(errors, "maxConnections", this.maxConnections, (count) -> count > 0,
				MUST_BE_POSITIVE + " (leave it unset for no limit of the endpoint's own)");
		check(errors, "inboundBudget", this.inboundBudget, (size) -> size.toBytes() > 0,
				MUST_BE_POSITIVE + " (leave it unset for the application's only)");
		check(errors, "outboundBudget", this.outboundBudget, (size) -> size.toBytes() > 0,
				MUST_BE_POSITIVE + " (leave it unset for the application's only)");
		check(errors, "trustXForwardedFor", this.trustXForwardedFor, (hops) -> hops >= 0,
				MUST_NOT_BE_NEGATIVE + " (0: X-Forwarded-For is ignored)");
	}

	static <T> void check(Errors errors, String field, @Nullable T value, Predicate<T> valid, String reason) {
		if (value != null && !valid.test(value)) {
			errors.rejectValue(field, "invalid", reason);
		}
	}

	private static boolean isPositive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

}
