package io.autobahn.spring.websocket.core;

import java.nio.charset.StandardCharsets;

/**
 * Encodes to UTF-8 the parts of a text message that a servlet container hands over as
 * strings, one part at a time: a surrogate pair that the container split between two
 * parts (its buffer ended between them) is encoded whole, with the second part, rather
 * than as two replacement characters. Not thread-safe: one per connection, fed in order.
 */
final class TextPartEncoder {

	private char pendingHighSurrogate;

	/**
	 * Encode a part.
	 * @param part the part
	 * @param last whether it ends the message
	 * @return its UTF-8 bytes, with a high surrogate left over from the part before and
	 * without one that ends this part unless it is the last
	 */
	byte[] encode(String part, boolean last) {
		if (this.pendingHighSurrogate != 0) {
			part = this.pendingHighSurrogate + part;
			this.pendingHighSurrogate = 0;
		}
		if (!last && !part.isEmpty() && Character.isHighSurrogate(part.charAt(part.length() - 1))) {
			this.pendingHighSurrogate = part.charAt(part.length() - 1);
			part = part.substring(0, part.length() - 1);
		}
		return part.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Forget a high surrogate left over from a message that was dropped.
	 */
	void reset() {
		this.pendingHighSurrogate = 0;
	}

}
