package io.autobahn.spring.websocket.reactive;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * What validating the UTF-8 of an incoming text frame costs on Reactor Netty, in the CPU
 * time of the thread that does it: the starter's {@link AsciiFastPathUtf8FrameValidator}
 * (ASCII eight bytes at a time, the byte-by-byte DFA only from the first byte that is not
 * ASCII) against Netty's {@link Utf8FrameValidator} (the DFA on every byte), each in an
 * {@link EmbeddedChannel} as in the pipeline, for whole text frames of 64 B and 16 KiB,
 * ASCII and mixed (one two-byte character in eight). Thread CPU time, so that other
 * processes on a shared machine do not count. In the validator's package, which is not
 * public. Run from the server jar:
 * {@code java -cp benchmarks/server-netty/target/server-netty.jar -Dloader.main=io.autobahn.spring.websocket.reactive.Utf8Cost org.springframework.boot.loader.launch.PropertiesLauncher}
 */
public final class Utf8Cost {

	private static final long BYTES_PER_ROUND = 512L * 1024 * 1024;

	private static final int ROUNDS = 5;

	private Utf8Cost() {
	}

	public static void main(String[] args) {
		for (int size : new int[] { 64, 16 * 1024 }) {
			for (boolean mixed : new boolean[] { false, true }) {
				byte[] text = text(size, mixed);
				String name = size + " B " + (mixed ? "mixed" : "ASCII");
				double netty = measure(() -> new Utf8FrameValidator(true), text);
				double starter = measure(AsciiFastPathUtf8FrameValidator::new, text);
				System.out.printf("%-12s Netty's Utf8FrameValidator %8.1f ns/frame, starter's %8.1f ns/frame (%.2fx)%n",
						name, netty, starter, starter / netty);
			}
		}
	}

	/** The best of the rounds, in thread CPU nanoseconds per frame. */
	private static double measure(Supplier<ChannelHandler> validator, byte[] text) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		EmbeddedChannel channel = new EmbeddedChannel(validator.get());
		ByteBuf payload = Unpooled.directBuffer(text.length).writeBytes(text);
		int frames = (int) (BYTES_PER_ROUND / text.length);
		double best = Double.MAX_VALUE;
		for (int round = 0; round < ROUNDS; round++) {
			long start = threads.getCurrentThreadCpuTime();
			for (int i = 0; i < frames; i++) {
				channel.writeInbound(new TextWebSocketFrame(true, 0, payload.retainedDuplicate()));
				((WebSocketFrame) channel.readInbound()).release();
			}
			best = Math.min(best, (double) (threads.getCurrentThreadCpuTime() - start) / frames);
		}
		payload.release();
		channel.finishAndReleaseAll();
		return best;
	}

	private static byte[] text(int size, boolean mixed) {
		byte[] text = "é".getBytes(StandardCharsets.UTF_8);
		byte[] bytes = new byte[size];
		for (int i = 0; i < size;) {
			if (mixed && i % 8 == 6 && i + 1 < size) {
				bytes[i++] = text[0];
				bytes[i++] = text[1];
			}
			else {
				bytes[i] = (byte) ('a' + i % 26);
				i++;
			}
		}
		return bytes;
	}

}
