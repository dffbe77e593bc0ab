package io.autobahn.spring.websocket.test;

import java.util.Objects;

import org.assertj.core.api.AssertProvider;
import org.jspecify.annotations.Nullable;

/**
 * How a connection closed, as the client saw it ({@link TestWebSocket#awaitClose()}), or
 * a close frame the protocol sent ({@link ProtocolTester#closeSent()}): the close code
 * and reason, and whether a close frame arrived at all. The codes are those Autobahn and
 * the JDK report: {@code 1005} for a close frame without a code, {@code 1006} when the
 * connection ended without a close frame. AssertJ's {@code assertThat(close)} gives a
 * {@link CloseAssert}.
 * <p>
 * Immutable and thread-safe.
 */
public final class Close implements AssertProvider<CloseAssert> {

	/** The code of a close frame without one (never sent on the wire). */
	public static final int NO_STATUS_CODE = 1005;

	/**
	 * The code of a connection that ended without a close frame (never sent on the wire).
	 */
	public static final int ABNORMAL_CLOSE = 1006;

	private final int code;

	private final String reason;

	private final boolean frameReceived;

	private Close(int code, String reason, boolean frameReceived) {
		this.code = code;
		this.reason = reason;
		this.frameReceived = frameReceived;
	}

	/**
	 * A close frame with a code and a reason.
	 * @param code the close code
	 * @param reason the reason, or {@code null} for none
	 * @return the close
	 */
	public static Close frame(int code, @Nullable String reason) {
		return new Close(code, (reason != null) ? reason : "", true);
	}

	/**
	 * A close frame without a code (code {@value #NO_STATUS_CODE}).
	 * @return the close
	 */
	public static Close emptyFrame() {
		return new Close(NO_STATUS_CODE, "", true);
	}

	/**
	 * A connection that ended without a close frame (code {@value #ABNORMAL_CLOSE}).
	 * @param why what was seen, for the failure messages
	 * @return the close
	 */
	public static Close dropped(String why) {
		return new Close(ABNORMAL_CLOSE, why, false);
	}

	/**
	 * Return the close code.
	 * @return the code of the close frame, {@value #NO_STATUS_CODE} for a close frame
	 * without one, {@value #ABNORMAL_CLOSE} when no close frame arrived
	 */
	public int code() {
		return this.code;
	}

	/**
	 * Return the close reason.
	 * @return the reason of the close frame, an empty string for none; without a close
	 * frame, what the client saw instead
	 */
	public String reason() {
		return this.reason;
	}

	/**
	 * Return whether a close frame arrived: the peer closed, or answered a close, with a
	 * closing handshake rather than dropping the connection.
	 * @return whether a close frame arrived
	 */
	public boolean isFrameReceived() {
		return this.frameReceived;
	}

	@Override
	public CloseAssert assertThat() {
		return new CloseAssert(this);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof Close close && this.code == close.code
				&& this.reason.equals(close.reason) && this.frameReceived == close.frameReceived);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.code, this.reason, this.frameReceived);
	}

	@Override
	public String toString() {
		if (!this.frameReceived) {
			return "no close frame (" + this.code + (this.reason.isEmpty() ? "" : ": " + this.reason) + ")";
		}
		return "close " + ((this.code == NO_STATUS_CODE) ? "without code"
				: this.code + (this.reason.isEmpty() ? "" : " \"" + this.reason + "\""));
	}

}
