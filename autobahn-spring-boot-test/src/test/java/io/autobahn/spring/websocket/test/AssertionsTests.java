package io.autobahn.spring.websocket.test;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link Message} and {@link Close} compare by value and read well in AssertJ: the
 * assertions pass on what they claim and fail, saying what was there instead, on anything
 * else.
 */
class AssertionsTests {

	@Test
	void messagesAreEqualByTypeAndPayload() {
		assertThat(Message.text("hi")).isEqualTo(Message.of("hi".getBytes(StandardCharsets.UTF_8), false))
			.isNotEqualTo(Message.binary("hi".getBytes(StandardCharsets.UTF_8)))
			.hasSameHashCodeAs(Message.text("hi"));
		assertThat(Message.binary(new byte[] { 1, 2 })).isEqualTo(Message.binary(new byte[] { 1, 2 }));
	}

	@Test
	void messageAssertionsPassOnWhatTheyClaim() {
		assertThat(Message.text("héllo")).isText()
			.hasText("héllo")
			.hasSize(6)
			.textSatisfies((text) -> assertThat(text).startsWith("h"));
		assertThat(Message.binary(new byte[] { 7 })).isBinary().hasPayload(new byte[] { 7 });
	}

	@Test
	void messageAssertionsFailWithWhatArrived() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(Message.text("hi")).hasText("ho"))
			.withMessageContaining("\"ho\"")
			.withMessageContaining("\"hi\"");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(Message.binary(new byte[] { 1 })).isText())
			.withMessageContaining("binary 1 bytes [01]");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(Message.text("a")).hasPayload(new byte[] { 'b' }));
	}

	@Test
	void invalidUtf8IsNoText() {
		Message message = Message.of(new byte[] { (byte) 0xC3 }, false);
		assertThatIllegalStateException().isThrownBy(message::text).withMessageContaining("Not valid UTF-8");
	}

	@Test
	void closeAssertionsPassOnWhatTheyClaimAndFailOtherwise() {
		assertThat(Close.frame(4000, "done")).hasCode(4000)
			.hasReason("done")
			.hasReasonContaining("on")
			.isFrameReceived();
		assertThat(Close.emptyFrame()).hasCode(1005).hasReason("");
		assertThat(Close.dropped("reset")).hasCode(1006).isDropped();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(Close.frame(1011, "oops")).hasCode(1000))
			.withMessageContaining("close 1011 \"oops\"");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(Close.dropped("reset")).isFrameReceived())
			.withMessageContaining("no close frame");
	}

}
