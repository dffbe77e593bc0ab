package io.autobahn.spring.websocket.core;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes connection ids: a random prefix drawn once per JVM (64 bits), then a sequence
 * number, such as {@code 8f3a61c02be4d917-1a}. Unique within the JVM, and across
 * application instances but for a collision of two random prefixes; one atomic increment
 * per connection, no random number per connection. Thread-safe.
 */
final class ConnectionIds {

	private static final String PREFIX = HexFormat.of().toHexDigits(new SecureRandom().nextLong()) + "-";

	private static final AtomicLong SEQUENCE = new AtomicLong();

	private ConnectionIds() {
	}

	static String next() {
		return PREFIX + Long.toHexString(SEQUENCE.incrementAndGet());
	}

}
