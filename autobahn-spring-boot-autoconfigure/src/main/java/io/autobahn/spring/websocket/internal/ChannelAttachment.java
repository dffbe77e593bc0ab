package io.autobahn.spring.websocket.internal;

import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * Not API. Lets the engine attach a connection to a protocol instance without a public
 * setter on the protocol class: the protocol class registers how, once, in its static
 * initializer, and the engine calls {@link #attach(Object, Object)}, as the JDK's
 * {@code SharedSecrets} do. Typed {@code Object} so that this package imports nothing of
 * the API it serves (no cycle between the two). Thread-safe.
 */
public final class ChannelAttachment {

	private static volatile @Nullable BiConsumer<Object, Object> attacher;

	private ChannelAttachment() {
	}

	/**
	 * Register how a channel is attached to a protocol instance. Called once, by the
	 * protocol base class.
	 * @param attacher attaches its second argument to its first
	 */
	public static void register(BiConsumer<Object, Object> attacher) {
		if (ChannelAttachment.attacher != null) {
			throw new IllegalStateException("A channel attacher is registered already");
		}
		ChannelAttachment.attacher = attacher;
	}

	/**
	 * Attach a connection to the protocol instance that serves it.
	 * @param protocol the protocol instance (whose class is initialized, so the attacher
	 * is registered)
	 * @param channel the connection
	 * @throws IllegalStateException if the instance has a channel already
	 */
	public static void attach(Object protocol, Object channel) {
		BiConsumer<Object, Object> attacher = ChannelAttachment.attacher;
		if (attacher == null) {
			throw new IllegalStateException("No channel attacher registered: is WebSocketProtocol initialized?");
		}
		attacher.accept(protocol, channel);
	}

}
