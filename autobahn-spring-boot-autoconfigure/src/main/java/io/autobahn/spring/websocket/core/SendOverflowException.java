package io.autobahn.spring.websocket.core;

import java.io.IOException;

/**
 * Thrown by a non-blocking {@link Transport} whose own outgoing buffer passed the endpoint's
 * {@code send-buffer-size-limit} or made no progress for {@code send-time-limit}: the peer
 * does not read. The connection is dropped as for an overflow of the send queue
 * (see {@link OutboundQueue}).
 */
public class SendOverflowException extends IOException {

	/**
	 * Create a new instance.
	 * @param message which bound was passed
	 */
	public SendOverflowException(String message) {
		super(message);
	}

}
