package io.autobahn.spring.websocket.test;

import org.assertj.core.api.AbstractObjectAssert;

/**
 * AssertJ assertions on a {@link Close}:
 * {@code assertThat(client.awaitClose()).hasCode(1000)}. Obtained from AssertJ's
 * {@code assertThat(close)}, as {@link Close} is an
 * {@link org.assertj.core.api.AssertProvider}. Not thread-safe, as AssertJ's assertions.
 */
public class CloseAssert extends AbstractObjectAssert<CloseAssert, Close> {

	/**
	 * Create an assertion on the given close.
	 * @param actual the close
	 */
	public CloseAssert(Close actual) {
		super(actual, CloseAssert.class);
	}

	/**
	 * Verify the close code: {@code 1005} for a close frame without one, {@code 1006}
	 * when no close frame arrived.
	 * @param expected the code
	 * @return this assertion
	 */
	public CloseAssert hasCode(int expected) {
		isNotNull();
		if (this.actual.code() != expected) {
			failWithActualExpectedAndMessage(this.actual.code(), expected, "Expected close code %d but got %s",
					expected, this.actual);
		}
		return this;
	}

	/**
	 * Verify the close reason (an empty string for none).
	 * @param expected the reason
	 * @return this assertion
	 */
	public CloseAssert hasReason(String expected) {
		isNotNull();
		if (!this.actual.reason().equals(expected)) {
			failWithActualExpectedAndMessage(this.actual.reason(), expected, "Expected close reason \"%s\" but got %s",
					expected, this.actual);
		}
		return this;
	}

	/**
	 * Verify that the close reason contains the given text.
	 * @param expected the text
	 * @return this assertion
	 */
	public CloseAssert hasReasonContaining(String expected) {
		isNotNull();
		if (!this.actual.reason().contains(expected)) {
			failWithMessage("Expected a close reason containing \"%s\" but got %s", expected, this.actual);
		}
		return this;
	}

	/**
	 * Verify that a close frame arrived (a closing handshake, not a dropped connection).
	 * @return this assertion
	 */
	public CloseAssert isFrameReceived() {
		isNotNull();
		if (!this.actual.isFrameReceived()) {
			failWithMessage("Expected a close frame but the connection ended with %s", this.actual);
		}
		return this;
	}

	/**
	 * Verify that the connection ended without a close frame (code {@code 1006}).
	 * @return this assertion
	 */
	public CloseAssert isDropped() {
		isNotNull();
		if (this.actual.isFrameReceived()) {
			failWithMessage("Expected the connection to end without a close frame but got %s", this.actual);
		}
		return this;
	}

}
