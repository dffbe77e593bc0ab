package io.autobahn.spring.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.autobahn.spring.websocket.core.EndpointObserver;
import io.autobahn.spring.websocket.core.EndpointObservers;
import io.autobahn.spring.websocket.metrics.MicrometerEndpointObservers;

/**
 * What the meters cost per echoed message, in the CPU time of the thread that handles it:
 * what the engine calls for one message in and one out (the message counters and, for the
 * {@code onMessage} timer, two clock reads and a record) on the starter's Micrometer observer
 * with a {@link SimpleMeterRegistry}, against the no-op observer of an application without
 * Micrometer. Thread CPU time rather than wall time, so that other processes on a shared
 * machine do not count; the echo benchmark's server CPU per message is the figure to compare
 * it with. Run from a server jar:
 * {@code java -cp benchmarks/server-netty/target/server-netty.jar -Dloader.main=io.autobahn.spring.bench.MeterCost org.springframework.boot.loader.launch.PropertiesLauncher}
 */
public final class MeterCost {

	private static final int MESSAGES = 20_000_000;

	private static final int ROUNDS = 7;

	private MeterCost() {
	}

	public static void main(String[] args) {
		EndpointObserver metered = new MicrometerEndpointObservers(new SimpleMeterRegistry()).forEndpoint("echo",
				EndpointObservers.Side.SERVER);
		SimpleMeterRegistry untimedRegistry = new SimpleMeterRegistry();
		untimedRegistry.config().meterFilter(MeterFilter.denyNameStartsWith("autobahn.websocket.onmessage"));
		EndpointObserver untimed = new MicrometerEndpointObservers(untimedRegistry).forEndpoint("echo",
				EndpointObservers.Side.SERVER);
		EndpointObserver none = EndpointObserver.NONE;
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long sink = 0;
		for (int round = 1; round <= ROUNDS; round++) {
			long start = threads.getCurrentThreadCpuTime();
			sink += echo(none, MESSAGES);
			long noneNanos = threads.getCurrentThreadCpuTime() - start;
			start = threads.getCurrentThreadCpuTime();
			sink += echo(untimed, MESSAGES);
			long untimedNanos = threads.getCurrentThreadCpuTime() - start;
			start = threads.getCurrentThreadCpuTime();
			sink += echo(metered, MESSAGES);
			long meteredNanos = threads.getCurrentThreadCpuTime() - start;
			start = threads.getCurrentThreadCpuTime();
			for (int i = 0; i < MESSAGES; i++) {
				sink += System.nanoTime();
			}
			long clockNanos = threads.getCurrentThreadCpuTime() - start;
			System.out.printf("round %d: no-op observer %.1f ns/message; Micrometer without the onmessage timer %.1f, "
					+ "with it %.1f; one System.nanoTime() %.1f ns%n", round, (double) noneNanos / MESSAGES,
					(double) untimedNanos / MESSAGES, (double) meteredNanos / MESSAGES, (double) clockNanos / MESSAGES);
		}
		System.out.println("(sink " + sink + ")");
	}

	/** The engine's calls for one echoed message, as ProtocolConnection, HookInvoker and ConnectionChannel make them. */
	private static long echo(EndpointObserver observer, int messages) {
		boolean timed = observer.timesMessageHandling();
		long sink = 0;
		for (int i = 0; i < messages; i++) {
			int size = 64 + (i & 1);
			observer.messageReceived(false, size);
			if (timed) {
				long start = System.nanoTime();
				sink += size;
				observer.messageHandled(System.nanoTime() - start);
			}
			else {
				sink += size;
			}
			observer.messageSent(false, size);
		}
		return sink;
	}

}
