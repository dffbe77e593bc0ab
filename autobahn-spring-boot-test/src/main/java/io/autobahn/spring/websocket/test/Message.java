package io.autobahn.spring.websocket.test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.assertj.core.api.AssertProvider;
import org.jspecify.annotations.Nullable;

/**
 * A whole WebSocket message, text or binary, as {@link TestWebSocket#nextMessage()}
 * received it or {@link ProtocolTester#sent()} saw the protocol send it. Two messages are
 * equal when they have the same type and payload, so lists of them can be compared with
 * {@code containsExactly(Message.text("hi"))}; AssertJ's {@code assertThat(message)}
 * gives a {@link MessageAssert}.
 * <p>
 * Immutable and thread-safe.
 */
public final class Message implements AssertProvider<MessageAssert> {

	private static final int SHOWN_BYTES = 32;

	private final boolean binary;

	private final byte[] payload;

	private Message(boolean binary, byte[] payload) {
		this.binary = binary;
		this.payload = payload;
	}

	/**
	 * A text message.
	 * @param text the text
	 * @return the message
	 */
	public static Message text(String text) {
		return new Message(false, text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A binary message.
	 * @param payload the payload (copied)
	 * @return the message
	 */
	public static Message binary(byte[] payload) {
		return new Message(true, payload.clone());
	}

	/**
	 * A message from its payload, as Autobahn's {@code onMessage(payload, isBinary)} gets
	 * it.
	 * @param payload the payload; for a text message its UTF-8 bytes (copied)
	 * @param isBinary whether the message is binary
	 * @return the message
	 */
	public static Message of(byte[] payload, boolean isBinary) {
		return new Message(isBinary, payload.clone());
	}

	/**
	 * Return whether this is a binary message.
	 * @return {@code true} for binary, {@code false} for text
	 */
	public boolean isBinary() {
		return this.binary;
	}

	/**
	 * Return whether this is a text message.
	 * @return {@code true} for text
	 */
	public boolean isText() {
		return !this.binary;
	}

	/**
	 * Return the payload: for a text message its UTF-8 bytes.
	 * @return a copy of the payload
	 */
	public byte[] payload() {
		return this.payload.clone();
	}

	/**
	 * Return the payload's length in bytes.
	 * @return the length
	 */
	public int size() {
		return this.payload.length;
	}

	/**
	 * Return the payload decoded as UTF-8, for a text message (or a binary one that holds
	 * text).
	 * @return the text
	 * @throws IllegalStateException if the payload is not valid UTF-8 (a server must
	 * never send such a text message)
	 */
	public String text() {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(this.payload))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new IllegalStateException("Not valid UTF-8: " + this, ex);
		}
	}

	@Override
	public MessageAssert assertThat() {
		return new MessageAssert(this);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof Message message && this.binary == message.binary
				&& Arrays.equals(this.payload, message.payload));
	}

	@Override
	public int hashCode() {
		return 31 * Boolean.hashCode(this.binary) + Arrays.hashCode(this.payload);
	}

	@Override
	public String toString() {
		if (!this.binary) {
			String text = new String(this.payload, StandardCharsets.UTF_8);
			return "text \"" + ((text.length() > 200)
					? text.substring(0, 200) + "\"... (" + this.payload.length + " bytes)" : text + "\"");
		}
		String shown = HexFormat.ofDelimiter(" ")
			.formatHex(this.payload, 0, Math.min(SHOWN_BYTES, this.payload.length));
		return "binary " + this.payload.length + " bytes [" + shown
				+ ((this.payload.length > SHOWN_BYTES) ? " ..." : "") + "]";
	}

}
