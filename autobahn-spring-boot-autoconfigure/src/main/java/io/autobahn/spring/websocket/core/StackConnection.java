package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

/**
 * A connection as a stack adapter drives it: what the adapter reports of its container
 * (the upgrade done, each frame or message part, pings and pongs, the close as the
 * container saw it, limits the adapter found passed) and the budgets it counts what the
 * container buffers against. Not API: applications see a connection as a
 * {@link io.autobahn.spring.websocket.WebSocketConnection}, which has none of these.
 * <p>
 * The adapter reports a connection's frames one at a time, in order; {@link #closed} and
 * the refusals may come from any thread. Obtained from
 * {@link AcceptedConnection#connection()}.
 */
public interface StackConnection {

	/**
	 * The reason of the starter's close frame for a message over
	 * {@code max-message-payload-size}, on every stack.
	 */
	String MESSAGE_TOO_BIG = "Message too big";

	/**
	 * The upgrade completed: start the connection and call {@code onOpen}.
	 * @param transport the stack's transport
	 * @param hookExecutor where {@code onClose} runs when the close is found on a thread
	 * that must not run hooks (an event loop or the timer), or {@code null} to run it on
	 * whichever thread finds the close
	 */
	void open(Transport transport, @Nullable Executor hookExecutor);

	/**
	 * The upgrade completed: start the connection and call {@code onOpen};
	 * {@code onClose} runs on whichever thread finds the close.
	 * @param transport the stack's transport
	 */
	default void open(Transport transport) {
		open(transport, null);
	}

	/**
	 * Return how the connection's protocol takes its messages, for a stack that assembles
	 * messages itself ({@link #messageReceived}) to know whether to, and into what: a
	 * protocol that streams gets every frame as it is ({@link #frameReceived}).
	 * @return the mode, fixed for the connection's life
	 */
	ReceiveMode receiveMode();

	/**
	 * A part of a text message arrived.
	 * @param text the part
	 * @param last whether it ends the message
	 */
	void textReceived(String text, boolean last);

	/**
	 * A frame of a message arrived as bytes (text frames as UTF-8, validated): assembled
	 * here under {@code max-message-payload-size} and the inbound budget, or streamed.
	 * @param data the frame's payload (read before this method returns, not kept)
	 * @param isBinary whether the message is binary
	 * @param last whether the frame ends the message
	 */
	void frameReceived(ByteBuffer data, boolean isBinary, boolean last);

	/**
	 * A whole message arrived, which the stack assembled itself, under
	 * {@code max-message-payload-size} and the inbound budget; not for a protocol that
	 * streams.
	 * @param message the payload from its position to its limit (text as UTF-8,
	 * validated), valid until this method returns: the stack may reuse or free it then
	 * @param isBinary whether the message is binary
	 */
	void messageReceived(ByteBuffer message, boolean isBinary);

	/**
	 * A whole message arrived, which the stack assembled itself into an array that nobody
	 * else holds, for a protocol that takes arrays ({@link ReceiveMode#BYTES}): the array
	 * is handed on as it is.
	 * @param message the payload (text as UTF-8, validated)
	 * @param isBinary whether the message is binary
	 */
	void messageReceived(byte[] message, boolean isBinary);

	/**
	 * A frame of a message that the stack assembles itself arrived: traffic, for the
	 * auto-ping ({@code auto-ping-restart-on-any-traffic}); the message follows through
	 * {@link #messageReceived}.
	 */
	void dataReceived();

	/**
	 * A part of a binary message arrived.
	 * @param data the part (read before this method returns, not kept)
	 * @param last whether it ends the message
	 */
	default void binaryReceived(ByteBuffer data, boolean last) {
		frameReceived(data, true, last);
	}

	/**
	 * A ping arrived (on stacks that hand pings over).
	 * @param payload the payload
	 */
	void pingReceived(ByteBuffer payload);

	/**
	 * A pong arrived.
	 * @param payload the payload
	 */
	void pongReceived(ByteBuffer payload);

	/**
	 * The connection is gone, as the stack reports it.
	 * @param code the close code the stack reports: the peer's, 1005 for a close frame
	 * without one, or 1006 when the connection dropped
	 * @param reason the close reason; an empty one is reported as {@code null}, as the
	 * wire does not tell an empty reason from none
	 */
	void closed(int code, @Nullable String reason);

	/**
	 * An incoming message passed {@code max-message-payload-size}, found by the stack
	 * (one that bounds decompression): close with 1009.
	 * @param detail what was exceeded, for the debug log
	 */
	void messageTooBig(String detail);

	/**
	 * The inbound budget refused what the container would buffer next: close with 1013.
	 * @param refusedBy the budget that refused
	 * @param amount the bytes it refused
	 */
	void inboundBudgetExceeded(Budget refusedBy, long amount);

	/**
	 * Return the endpoint's budget of bytes held by partly received messages, which the
	 * adapter also counts what the container buffers against.
	 * @return the inbound budget
	 */
	Budget getInboundBudget();

	/**
	 * The handshake failed after {@code onConnect} accepted it (the container's upgrade
	 * failed, or the client went away first): give the connection up and dispose of its
	 * protocol instance. Once the connection is open, this does nothing.
	 */
	void abandon();

	/**
	 * The container took the upgrade that {@code onConnect} accepted (through
	 * {@link ServerEndpoint#connectAndWait}): it answers {@code 101} and opens the
	 * connection, unless the client went away first, which Tomcat does not report. The
	 * connection is given up if it has not opened within
	 * {@link ServerEndpoint#OPEN_AFTER_UPGRADE_TIMEOUT} from here (or
	 * {@code open-handshake-timeout} where that is longer): a servlet container writes
	 * the {@code 101} before it opens the connection, and a connection given up in
	 * between would be lost right after a successful handshake. Called once, on the
	 * thread that asked the container to upgrade.
	 */
	void upgradeTaken();

}
