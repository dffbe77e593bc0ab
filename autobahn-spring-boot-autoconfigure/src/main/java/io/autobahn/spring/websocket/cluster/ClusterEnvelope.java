package io.autobahn.spring.websocket.cluster;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.autobahn.spring.websocket.ConnectionSelector;

/**
 * What travels between instances, in a small binary form of its own (no Java
 * serialization): a broadcast (its endpoint, selector, text or binary flag and payload)
 * or a heartbeat (the instance's open-connection count), each with the instance that sent
 * it and that instance's sequence number.
 * <p>
 * The form, big-endian: a version byte ({@value #VERSION}), a kind byte (0 broadcast, 1
 * heartbeat), the origin instance id, the sequence number (8 bytes); then for a broadcast
 * a flags byte (1 binary, 2 every endpoint), the endpoint unless every endpoint, the
 * number of selector conditions (2 bytes) and each one's key and value, and the payload's
 * length (4 bytes) and bytes; for a heartbeat the connection count (4 bytes). A string is
 * its UTF-8 length (2 bytes) and bytes. Nothing may follow.
 * <p>
 * Immutable; {@link #decode(byte[])} rejects whatever does not follow the form, a text
 * payload that is not UTF-8 included, with an {@link IllegalArgumentException}.
 *
 * @param heartbeat whether this is a heartbeat
 * @param origin the id of the instance that sent it
 * @param sequence the sender's sequence number: for a broadcast its own, for a heartbeat
 * the last broadcast's
 * @param endpoint the endpoint of a broadcast, or {@code null} for every endpoint (and
 * for a heartbeat)
 * @param selector the connections a broadcast is for
 * @param binary whether a broadcast is binary
 * @param payload a broadcast's payload (empty for a heartbeat)
 * @param connections a heartbeat's count of the sender's open connections (0 for a
 * broadcast)
 */
record ClusterEnvelope(boolean heartbeat, String origin, long sequence, @Nullable String endpoint,
		ConnectionSelector selector, boolean binary, byte[] payload, int connections) {

	static final byte VERSION = 1;

	private static final byte BROADCAST = 0;

	private static final byte HEARTBEAT = 1;

	private static final int FLAG_BINARY = 1;

	private static final int FLAG_EVERY_ENDPOINT = 2;

	private static final int FLAGS = FLAG_BINARY | FLAG_EVERY_ENDPOINT;

	private static final int MAX_STRING = 0xFFFF;

	private static final byte[] NO_PAYLOAD = new byte[0];

	static ClusterEnvelope broadcast(String origin, long sequence, @Nullable String endpoint,
			ConnectionSelector selector, boolean binary, byte[] payload) {
		return new ClusterEnvelope(false, origin, sequence, endpoint, selector, binary, payload, 0);
	}

	static ClusterEnvelope heartbeat(String origin, long sequence, int connections) {
		return new ClusterEnvelope(true, origin, sequence, null, ConnectionSelector.all(), false, NO_PAYLOAD,
				connections);
	}

	/**
	 * Encode a broadcast straight from the broadcaster's payload, copying it once.
	 */
	static byte[] encodeBroadcast(String origin, long sequence, @Nullable String endpoint, ConnectionSelector selector,
			boolean binary, ByteBuffer payload) {
		byte[] originBytes = utf8(origin);
		byte[] endpointBytes = (endpoint != null) ? utf8(endpoint) : null;
		List<ConnectionSelector.Attribute> conditions = selector.getAttributes();
		if (conditions.size() > MAX_STRING) {
			throw new IllegalArgumentException("A selector of more than " + MAX_STRING + " conditions cannot travel");
		}
		List<byte[]> conditionBytes = new ArrayList<>(conditions.size() * 2);
		int size = 2 + 2 + originBytes.length + 8 + 1 + ((endpointBytes != null) ? 2 + endpointBytes.length : 0) + 2;
		for (ConnectionSelector.Attribute condition : conditions) {
			byte[] key = utf8(condition.key());
			byte[] value = utf8(condition.value());
			conditionBytes.add(key);
			conditionBytes.add(value);
			size += 4 + key.length + value.length;
		}
		ByteBuffer source = payload.duplicate();
		size += 4 + source.remaining();
		ByteBuffer out = ByteBuffer.allocate(size);
		out.put(VERSION).put(BROADCAST);
		putString(out, originBytes);
		out.putLong(sequence);
		out.put((byte) ((binary ? FLAG_BINARY : 0) | ((endpointBytes == null) ? FLAG_EVERY_ENDPOINT : 0)));
		if (endpointBytes != null) {
			putString(out, endpointBytes);
		}
		out.putShort((short) conditions.size());
		for (byte[] bytes : conditionBytes) {
			putString(out, bytes);
		}
		out.putInt(source.remaining());
		out.put(source);
		return out.array();
	}

	byte[] encode() {
		if (!this.heartbeat) {
			return encodeBroadcast(this.origin, this.sequence, this.endpoint, this.selector, this.binary,
					ByteBuffer.wrap(this.payload));
		}
		byte[] originBytes = utf8(this.origin);
		ByteBuffer out = ByteBuffer.allocate(2 + 2 + originBytes.length + 8 + 4);
		out.put(VERSION).put(HEARTBEAT);
		putString(out, originBytes);
		out.putLong(this.sequence);
		out.putInt(this.connections);
		return out.array();
	}

	/**
	 * Decode an envelope.
	 * @param bytes the bytes as they came
	 * @return the envelope
	 * @throws IllegalArgumentException if the bytes are no envelope of this version
	 */
	static ClusterEnvelope decode(byte[] bytes) {
		ByteBuffer in = ByteBuffer.wrap(bytes);
		try {
			byte version = in.get();
			if (version != VERSION) {
				throw new IllegalArgumentException("version " + (version & 0xFF) + ", not " + VERSION);
			}
			byte kind = in.get();
			if (kind != BROADCAST && kind != HEARTBEAT) {
				throw new IllegalArgumentException("unknown kind " + (kind & 0xFF));
			}
			String origin = getString(in);
			long sequence = in.getLong();
			ClusterEnvelope envelope;
			if (kind == HEARTBEAT) {
				int connections = in.getInt();
				if (connections < 0) {
					throw new IllegalArgumentException("negative connection count");
				}
				envelope = heartbeat(origin, sequence, connections);
			}
			else {
				int flags = in.get() & 0xFF;
				if ((flags & ~FLAGS) != 0) {
					throw new IllegalArgumentException("unknown flags " + flags);
				}
				String endpoint = ((flags & FLAG_EVERY_ENDPOINT) != 0) ? null : getString(in);
				int count = in.getShort() & 0xFFFF;
				List<ConnectionSelector.Attribute> conditions = new ArrayList<>(Math.min(count, 16));
				for (int i = 0; i < count; i++) {
					conditions.add(new ConnectionSelector.Attribute(getString(in), getString(in)));
				}
				int length = in.getInt();
				if (length < 0 || length > in.remaining()) {
					throw new IllegalArgumentException(
							"payload length " + length + " with " + in.remaining() + " bytes left");
				}
				byte[] payload = new byte[length];
				in.get(payload);
				boolean binary = (flags & FLAG_BINARY) != 0;
				if (!binary) {
					decodeUtf8(ByteBuffer.wrap(payload), "text payload");
				}
				envelope = broadcast(origin, sequence, endpoint, ConnectionSelector.of(conditions), binary, payload);
			}
			if (in.hasRemaining()) {
				throw new IllegalArgumentException(in.remaining() + " bytes after the envelope");
			}
			return envelope;
		}
		catch (BufferUnderflowException ex) {
			throw new IllegalArgumentException("truncated after " + in.position() + " bytes");
		}
	}

	private static byte[] utf8(String string) {
		byte[] bytes = string.getBytes(StandardCharsets.UTF_8);
		if (bytes.length > MAX_STRING) {
			throw new IllegalArgumentException("A string of more than " + MAX_STRING + " UTF-8 bytes cannot travel: "
					+ string.substring(0, 40) + "...");
		}
		return bytes;
	}

	private static void putString(ByteBuffer out, byte[] bytes) {
		out.putShort((short) bytes.length);
		out.put(bytes);
	}

	private static String getString(ByteBuffer in) {
		int length = in.getShort() & 0xFFFF;
		if (length > in.remaining()) {
			throw new IllegalArgumentException("string length " + length + " with " + in.remaining() + " bytes left");
		}
		ByteBuffer slice = in.slice();
		slice.limit(length);
		in.position(in.position() + length);
		return decodeUtf8(slice, "string");
	}

	private static String decodeUtf8(ByteBuffer bytes, String what) {
		try {
			CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(bytes);
			return chars.toString();
		}
		catch (CharacterCodingException ex) {
			throw new IllegalArgumentException(what + " is not UTF-8");
		}
	}

}
