package io.autobahn.spring.websocket.test;

import java.util.Arrays;
import java.util.function.Consumer;

import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.Assertions;

/**
 * AssertJ assertions on a {@link Message}:
 * {@code assertThat(client.nextMessage()).isText().hasText("hi")}. Obtained from
 * AssertJ's {@code assertThat(message)}, as {@link Message} is an
 * {@link org.assertj.core.api.AssertProvider}. Not thread-safe, as AssertJ's assertions.
 */
public class MessageAssert extends AbstractObjectAssert<MessageAssert, Message> {

	/**
	 * Create an assertion on the given message.
	 * @param actual the message
	 */
	public MessageAssert(Message actual) {
		super(actual, MessageAssert.class);
	}

	/**
	 * Verify that the message is a text message.
	 * @return this assertion
	 */
	public MessageAssert isText() {
		isNotNull();
		if (!this.actual.isText()) {
			failWithMessage("Expected a text message but got %s", this.actual);
		}
		return this;
	}

	/**
	 * Verify that the message is a binary message.
	 * @return this assertion
	 */
	public MessageAssert isBinary() {
		isNotNull();
		if (!this.actual.isBinary()) {
			failWithMessage("Expected a binary message but got %s", this.actual);
		}
		return this;
	}

	/**
	 * Verify that the message is a text message with exactly the given text.
	 * @param expected the text
	 * @return this assertion
	 */
	public MessageAssert hasText(String expected) {
		isText();
		String text = this.actual.text();
		if (!text.equals(expected)) {
			failWithActualExpectedAndMessage(text, expected, "Expected text message \"%s\" but got \"%s\"", expected,
					text);
		}
		return this;
	}

	/**
	 * Verify that the message is a text message and hand its text over to more
	 * assertions.
	 * @param requirements assertions on the text
	 * @return this assertion
	 */
	public MessageAssert textSatisfies(Consumer<String> requirements) {
		isText();
		requirements.accept(this.actual.text());
		return this;
	}

	/**
	 * Verify that the message is a text message and return assertions on its text.
	 * @return AssertJ's assertions on the text
	 */
	public AbstractStringAssert<?> text() {
		isText();
		return Assertions.assertThat(this.actual.text());
	}

	/**
	 * Verify that the message has exactly the given payload, whatever its type.
	 * @param expected the payload; for text its UTF-8 bytes
	 * @return this assertion
	 */
	public MessageAssert hasPayload(byte[] expected) {
		isNotNull();
		byte[] payload = this.actual.payload();
		if (!Arrays.equals(payload, expected)) {
			failWithMessage(
					"Expected a payload of %d bytes equal to the expected one but got %s (first difference at %d)",
					expected.length, this.actual, Arrays.mismatch(payload, expected));
		}
		return this;
	}

	/**
	 * Verify that the message's payload has the given length in bytes.
	 * @param expected the length
	 * @return this assertion
	 */
	public MessageAssert hasSize(int expected) {
		isNotNull();
		if (this.actual.size() != expected) {
			failWithMessage("Expected a payload of %d bytes but got %s", expected, this.actual);
		}
		return this;
	}

}
