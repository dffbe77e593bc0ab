package io.autobahn.spring.websocket.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import com.jcraft.jzlib.GZIPException;
import com.jcraft.jzlib.JZlib;
import com.jcraft.jzlib.ZStream;

/**
 * The payload transformation of RFC 7692 (7.2) for one direction of a connection, with or
 * without context takeover: raw deflate, each message ended by a sync flush whose
 * trailing {@code 00 00 ff ff} is left off on the wire. With the JDK's zlib for a 15-bit
 * LZ77 window (what a client that offers {@code permessage-deflate} without parameters
 * uses); with {@code com.jcraft:jzlib}, which must then be on the class path, for a
 * window of 9 to 14 bits.
 * <p>
 * One instance per direction of one connection; not thread-safe.
 */
public final class PerMessageDeflate {

	private static final byte[] TAIL = { 0, 0, (byte) 0xff, (byte) 0xff };

	private static final int MAX_WINDOW_BITS = 15;

	private final Codec codec;

	private PerMessageDeflate(Codec codec) {
		this.codec = codec;
	}

	/**
	 * A compressor, as a client uses for the messages it sends.
	 * @param windowBits the LZ77 window, 9 to 15 (below 15 needs jzlib)
	 * @param noContextTakeover whether every message starts with an empty window
	 * @return the compressor
	 */
	public static PerMessageDeflate compressor(int windowBits, boolean noContextTakeover) {
		checkWindowBits(windowBits);
		return new PerMessageDeflate((windowBits == MAX_WINDOW_BITS) ? new JdkCompressor(noContextTakeover)
				: JZlibCodec.compressor(windowBits, noContextTakeover));
	}

	/**
	 * A decompressor. Below 15 bits it fails, or inflates something else, when a message
	 * refers to data further back than the window; without context takeover, when it
	 * refers to an earlier message.
	 * @param windowBits the LZ77 window, 9 to 15 (below 15 needs jzlib)
	 * @param noContextTakeover whether every message is inflated with an empty window
	 * @return the decompressor
	 */
	public static PerMessageDeflate decompressor(int windowBits, boolean noContextTakeover) {
		checkWindowBits(windowBits);
		return new PerMessageDeflate((windowBits == MAX_WINDOW_BITS) ? new JdkDecompressor(noContextTakeover)
				: JZlibCodec.decompressor(windowBits, noContextTakeover));
	}

	private static void checkWindowBits(int windowBits) {
		if (windowBits < 9 || windowBits > MAX_WINDOW_BITS) {
			throw new IllegalArgumentException("windowBits must be between 9 and 15, got " + windowBits);
		}
	}

	/**
	 * Compress one message.
	 * @param message the message payload
	 * @return the payload of the frame (RSV1 set) that carries it
	 * @throws IOException if zlib fails
	 */
	public byte[] compress(byte[] message) throws IOException {
		if (message.length == 0) {
			// A sync flush of nothing writes nothing once the stream has been flushed; an
			// empty
			// message is an empty stored block, 0x00 on the wire (RFC 7692 7.2.3.6).
			return new byte[] { 0 };
		}
		byte[] out = this.codec.run(message);
		if (out.length < TAIL.length
				|| !Arrays.equals(out, out.length - TAIL.length, out.length, TAIL, 0, TAIL.length)) {
			throw new IOException("A sync flush did not end with 00 00 ff ff");
		}
		return Arrays.copyOf(out, out.length - TAIL.length);
	}

	/**
	 * Decompress one message.
	 * @param payload the joined payload of a message whose first frame had RSV1 set
	 * @return the message
	 * @throws IOException if the payload is not valid deflate data for this window
	 */
	public byte[] decompress(byte[] payload) throws IOException {
		byte[] input = Arrays.copyOf(payload, payload.length + TAIL.length);
		System.arraycopy(TAIL, 0, input, payload.length, TAIL.length);
		return this.codec.run(input);
	}

	/** One direction's zlib stream. */
	private interface Codec {

		byte[] run(byte[] input) throws IOException;

	}

	private static final class JdkCompressor implements Codec {

		private final boolean noContextTakeover;

		private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);

		JdkCompressor(boolean noContextTakeover) {
			this.noContextTakeover = noContextTakeover;
		}

		@Override
		public byte[] run(byte[] input) {
			if (this.noContextTakeover) {
				this.deflater.reset();
			}
			this.deflater.setInput(input);
			ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 2 + 16);
			byte[] buffer = new byte[8192];
			int written;
			do {
				written = this.deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
				out.write(buffer, 0, written);
			}
			// A full buffer may leave flush output behind; less than full ends the flush.
			while (written == buffer.length);
			return out.toByteArray();
		}

	}

	private static final class JdkDecompressor implements Codec {

		private final boolean noContextTakeover;

		private final Inflater inflater = new Inflater(true);

		JdkDecompressor(boolean noContextTakeover) {
			this.noContextTakeover = noContextTakeover;
		}

		@Override
		public byte[] run(byte[] input) throws IOException {
			if (this.noContextTakeover) {
				this.inflater.reset();
			}
			this.inflater.setInput(input);
			ByteArrayOutputStream out = new ByteArrayOutputStream(input.length * 2 + 16);
			byte[] buffer = new byte[8192];
			try {
				for (;;) {
					int read = this.inflater.inflate(buffer);
					out.write(buffer, 0, read);
					if (read == 0) {
						if (this.inflater.needsInput() || this.inflater.finished()) {
							break;
						}
						throw new IOException("Invalid deflate data: it needs a preset dictionary");
					}
				}
			}
			catch (DataFormatException ex) {
				throw new IOException("Invalid deflate data: " + ex.getMessage(), ex);
			}
			if (this.inflater.finished()) {
				// A final block (BFINAL) ends the stream: the next message starts a new
				// one.
				this.inflater.reset();
			}
			return out.toByteArray();
		}

	}

	/**
	 * jzlib, for windows below 15 bits: only loaded for them, so that jzlib is needed
	 * only then.
	 */
	private static final class JZlibCodec implements Codec {

		private final boolean compressing;

		private final int windowBits;

		private final boolean noContextTakeover;

		private ZStream stream;

		private JZlibCodec(boolean compressing, int windowBits, boolean noContextTakeover) {
			this.compressing = compressing;
			this.windowBits = windowBits;
			this.noContextTakeover = noContextTakeover;
			this.stream = newStream();
		}

		static Codec compressor(int windowBits, boolean noContextTakeover) {
			return new JZlibCodec(true, windowBits, noContextTakeover);
		}

		static Codec decompressor(int windowBits, boolean noContextTakeover) {
			return new JZlibCodec(false, windowBits, noContextTakeover);
		}

		private ZStream newStream() {
			try {
				return this.compressing
						? new com.jcraft.jzlib.Deflater(JZlib.Z_DEFAULT_COMPRESSION, this.windowBits, true)
						: new com.jcraft.jzlib.Inflater(this.windowBits, true);
			}
			catch (GZIPException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public byte[] run(byte[] input) throws IOException {
			if (this.noContextTakeover && this.stream.total_in > 0) {
				this.stream = newStream();
			}
			ZStream stream = this.stream;
			stream.setInput(input, 0, input.length, false);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			do {
				stream.setOutput(buffer, 0, buffer.length);
				int result = this.compressing ? ((com.jcraft.jzlib.Deflater) stream).deflate(JZlib.Z_SYNC_FLUSH)
						: ((com.jcraft.jzlib.Inflater) stream).inflate(JZlib.Z_SYNC_FLUSH);
				if (result != JZlib.Z_OK && result != JZlib.Z_BUF_ERROR) {
					throw new IOException("zlib error " + result + ": " + stream.msg);
				}
				out.write(buffer, 0, buffer.length - stream.avail_out);
				if (result == JZlib.Z_BUF_ERROR && stream.avail_out == buffer.length) {
					break;
				}
			}
			while (stream.avail_in > 0 || stream.avail_out == 0);
			return out.toByteArray();
		}

	}

}
