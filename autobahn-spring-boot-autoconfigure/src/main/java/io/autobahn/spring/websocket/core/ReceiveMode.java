package io.autobahn.spring.websocket.core;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.autobahn.spring.websocket.WebSocketProtocol;

/**
 * How a protocol class takes its incoming messages, found from the hooks it overrides,
 * once per class: whole in an array of their own ({@link #BYTES}, Autobahn's
 * {@code onMessage}), whole in a buffer valid for the call ({@link #BUFFER}), or frame by
 * frame through the streaming hooks ({@link #STREAM}). The stack adapters deliver in the
 * form the connection asks for ({@link StackConnection#receiveMode()}), so that no form
 * pays for another. Immutable.
 */
public enum ReceiveMode {

	/**
	 * Whole messages, each in an array of its own: {@code onMessage(byte[], boolean)}.
	 */
	BYTES,

	/**
	 * Whole messages, each in a read-only buffer valid for the duration of the call:
	 * {@code onMessage(ByteBuffer, boolean)}.
	 */
	BUFFER,

	/**
	 * Frame by frame, as they arrive, without holding the message: the streaming hooks,
	 * from {@code onMessageBegin} to {@code onMessageEnd}.
	 */
	STREAM;

	/** The hook whose override makes a protocol stream its messages. */
	static final String FRAME_DATA = "onMessageFrameData";

	private static final ClassValue<ReceiveMode> MODES = new ClassValue<>() {

		@Override
		protected ReceiveMode computeValue(Class<?> type) {
			if (overrides(type, FRAME_DATA, ByteBuffer.class)) {
				return STREAM;
			}
			return overrides(type, "onMessage", ByteBuffer.class, boolean.class) ? BUFFER : BYTES;
		}

	};

	/**
	 * Return how instances of a protocol class take their messages.
	 * @param protocolType the protocol class
	 * @return the mode
	 */
	public static ReceiveMode of(Class<? extends WebSocketProtocol> protocolType) {
		return MODES.get(protocolType);
	}

	/**
	 * Return the receiving hooks a protocol class overrides that the mode it takes its
	 * messages in never calls: {@code onMessage} of a class that streams, the other
	 * streaming hooks of one that does not. Such a class is a mistake, refused at
	 * startup.
	 * @param protocolType the protocol class
	 * @return the hooks' names and parameter types, such as
	 * {@code onMessage(byte[], boolean)}; empty when every override is called
	 */
	public static List<String> uncalledOverrides(Class<? extends WebSocketProtocol> protocolType) {
		List<String> uncalled = new ArrayList<>();
		if (of(protocolType) == STREAM) {
			addIfOverridden(uncalled, protocolType, "onMessage", byte[].class, boolean.class);
			addIfOverridden(uncalled, protocolType, "onMessage", ByteBuffer.class, boolean.class);
		}
		else {
			addIfOverridden(uncalled, protocolType, "onMessageBegin", boolean.class);
			addIfOverridden(uncalled, protocolType, "onMessageFrameBegin", long.class);
			addIfOverridden(uncalled, protocolType, "onMessageFrameEnd");
			addIfOverridden(uncalled, protocolType, "onMessageEnd");
		}
		return uncalled;
	}

	private static void addIfOverridden(List<String> hooks, Class<?> type, String hook, Class<?>... parameterTypes) {
		if (overrides(type, hook, parameterTypes)) {
			List<String> names = new ArrayList<>();
			for (Class<?> parameterType : parameterTypes) {
				names.add(parameterType.getSimpleName());
			}
			hooks.add(hook + "(" + String.join(", ", names) + ")");
		}
	}

	private static boolean overrides(Class<?> type, String hook, Class<?>... parameterTypes) {
		try {
			return type.getMethod(hook, parameterTypes).getDeclaringClass() != WebSocketProtocol.class;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

}
