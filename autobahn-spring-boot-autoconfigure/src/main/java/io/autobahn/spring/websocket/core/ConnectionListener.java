package io.autobahn.spring.websocket.core;

/**
 * What the front that made a connection learns of its life, beyond the hooks: the client
 * front runs {@code onConnect} here and completes its connect once {@code onOpen}
 * returned; the server front needs none of it ({@link #NONE}). Called by the connection,
 * once each.
 */
interface ConnectionListener {

	/** Listens to nothing. */
	ConnectionListener NONE = new ConnectionListener() {
	};

	/**
	 * The connection is open, just before {@code onOpen}, under the hook lock: what runs
	 * here runs before {@code onOpen} and may send. An exception fails the connection as
	 * one from {@code onOpen} does.
	 */
	default void opening() {
	}

	/**
	 * {@code onOpen} returned, on its thread, after the hook lock is released (a close
	 * found meanwhile may have been reported already).
	 */
	default void opened() {
	}

	/**
	 * The connection is gone and its {@code onClose} (if it opened) has run; its protocol
	 * instance is disposed of.
	 * @param close how it closed, as {@code onClose} saw it
	 * @param opened whether {@code onOpen} returned without an exception
	 * @param closedByApplication whether the application closed or dropped it (its
	 * {@code sendClose} or {@code dropConnection}, or the application shutting down)
	 * rather than the peer, a timeout or a limit
	 */
	default void closed(HookInvoker.CloseEvent close, boolean opened, boolean closedByApplication) {
	}

}
