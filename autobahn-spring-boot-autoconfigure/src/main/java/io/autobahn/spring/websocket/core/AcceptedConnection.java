package io.autobahn.spring.websocket.core;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A handshake that {@code onConnect} accepted: what the stack adapter answers the
 * {@code 101} with, and the connection to open once it is sent. Immutable.
 *
 * @param connection the connection, to {@link StackConnection#open open} after the
 * {@code 101}, or to {@link StackConnection#abandon abandon} if the upgrade fails
 * @param subprotocol the subprotocol to answer with, or {@code null}
 * @param headers the extra headers {@code onConnect} asked for on the {@code 101}
 */
public record AcceptedConnection(StackConnection connection, @Nullable String subprotocol,
		Map<String, List<String>> headers) {

}
