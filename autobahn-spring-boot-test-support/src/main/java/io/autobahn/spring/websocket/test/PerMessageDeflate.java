package io.autobahn.spring.websocket.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import com.jcraft.jzlib.Deflater;
import com.jcraft.jzlib.GZIPException;
import com.jcraft.jzlib.Inflater;
import com.jcraft.jzlib.JZlib;
import com.jcraft.jzlib.ZStream;

/**
 * The payload transformation of RFC 7692 (7.2) for one direction of a connection, with any
 * LZ77 window of 9 to 15 bits (JZlib; the JDK's {@code Deflater} only does 15) and with or
 * without context takeover: raw deflate, each message ended by a sync flush whose trailing
 * {@code 00 00 ff ff} is left off on the wire.
 */
public final class PerMessageDeflate {

	private static final byte[] TAIL = { 0, 0, (byte) 0xff, (byte) 0xff };

	private final int windowBits;

	private final boolean noContextTakeover;

	private ZStream stream;

	private PerMessageDeflate(int windowBits, boolean noContextTakeover, ZStream stream) {
		this.windowBits = windowBits;
		this.noContextTakeover = noContextTakeover;
		this.stream = stream;
	}

	/**
	 * A compressor, as a client uses for the messages it sends.
	 * @param windowBits the LZ77 window, 9 to 15
	 * @param noContextTakeover whether every message starts with an empty window
	 * @return the compressor
	 */
	public static PerMessageDeflate compressor(int windowBits, boolean noContextTakeover) throws GZIPException {
		return new PerMessageDeflate(windowBits, noContextTakeover, newDeflater(windowBits));
	}

	/**
	 * A decompressor that fails, or inflates something else, when a message refers to
	 * data further back than the window or, without context takeover, to an earlier message.
	 * @param windowBits the LZ77 window, 9 to 15
	 * @param noContextTakeover whether every message is inflated with an empty window
	 * @return the decompressor
	 */
	public static PerMessageDeflate decompressor(int windowBits, boolean noContextTakeover) throws GZIPException {
		return new PerMessageDeflate(windowBits, noContextTakeover, new Inflater(windowBits, true));
	}

	/**
	 * Compress one message.
	 * @param message the message payload
	 * @return the payload of the frame (RSV1 set) that carries it
	 */
	public byte[] compress(byte[] message) throws IOException {
		Deflater deflater = (Deflater) next(() -> newDeflater(this.windowBits));
		byte[] out = run(message, (flush) -> deflater.deflate(flush));
		if (!Arrays.equals(Arrays.copyOfRange(out, out.length - 4, out.length), TAIL)) {
			throw new IOException("A sync flush did not end with 00 00 ff ff");
		}
		return Arrays.copyOf(out, out.length - 4);
	}

	/**
	 * Decompress one message.
	 * @param payload the joined payload of a message whose first frame had RSV1 set
	 * @return the message
	 */
	public byte[] decompress(byte[] payload) throws IOException {
		Inflater inflater = (Inflater) next(() -> new Inflater(this.windowBits, true));
		byte[] input = Arrays.copyOf(payload, payload.length + TAIL.length);
		System.arraycopy(TAIL, 0, input, payload.length, TAIL.length);
		return run(input, (flush) -> inflater.inflate(flush));
	}

	private ZStream next(StreamFactory factory) throws GZIPException {
		if (this.noContextTakeover && this.stream.total_in > 0) {
			this.stream = factory.create();
		}
		return this.stream;
	}

	private byte[] run(byte[] input, Step step) throws IOException {
		this.stream.setInput(input, 0, input.length, false);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		do {
			this.stream.setOutput(buffer, 0, buffer.length);
			int result = step.run(JZlib.Z_SYNC_FLUSH);
			if (result != JZlib.Z_OK && result != JZlib.Z_BUF_ERROR) {
				throw new IOException("zlib error " + result + ": " + this.stream.msg);
			}
			out.write(buffer, 0, buffer.length - this.stream.avail_out);
			if (result == JZlib.Z_BUF_ERROR && this.stream.avail_out == buffer.length) {
				break;
			}
		}
		while (this.stream.avail_in > 0 || this.stream.avail_out == 0);
		return out.toByteArray();
	}

	private static Deflater newDeflater(int windowBits) throws GZIPException {
		return new Deflater(JZlib.Z_DEFAULT_COMPRESSION, windowBits, true);
	}

	@FunctionalInterface
	private interface StreamFactory {

		ZStream create() throws GZIPException;

	}

	@FunctionalInterface
	private interface Step {

		int run(int flush);

	}

}
