package io.autobahn.spring.bench.loadgen;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.HdrHistogram.Histogram;

/**
 * A broadcast scenario ({@code name:receivers:window:size:bcast}): R receiver connections and
 * one sender connection to the server's broadcast endpoint ({@code --bcast-path}, by default
 * {@code /bcast}, which sends what one connection says to every other one). The sender keeps W
 * text messages of the given size in flight, a message counting as delivered when all R receivers
 * got it; each receiver checks every message's content and order. Reported: deliveries (messages
 * received by receivers) per second, broadcasts completed per second, the latency from the send
 * to the last receiver (p50/p99), and the server's CPU per delivery.
 * <p>
 * {@code --ports p1,p2,...} spreads the receivers round-robin over several servers on the URI's
 * host (instances of one application linked by a cluster, whose endpoint's broadcast travels), the
 * sender on the first; {@code --server-pid} may then list every server's process, whose CPU is
 * summed.
 * <p>
 * Before the measurement the sender says "sync" until every receiver heard it once, so that
 * every receiver is in the server's set of connections before the first numbered message (a
 * connection's handshake completes on the client before the server may have registered it).
 * Each event loop keeps its own counters ({@link LoadGen.Worker}): deliveries in {@code msgs},
 * completions in {@code completed}, their latencies in its histogram, recorded by the loop of the
 * receiver that completed the message.
 */
final class Broadcast {

	private static final int RING = 4096;

	private static final byte[] SYNC = "sync".getBytes(StandardCharsets.US_ASCII);

	private final LoadGen gen;

	private final LoadGen.Scenario scenario;

	private final URI uri;

	private final int receivers;

	// the receivers' ports, round-robin; the sender connects to the first
	private final int[] ports;

	private final AtomicIntegerArray arrived = new AtomicIntegerArray(RING);

	private final AtomicLongArray sentAt = new AtomicLongArray(RING);

	private final AtomicLong completedTotal = new AtomicLong();

	private final AtomicInteger synced = new AtomicInteger();

	private final AtomicLong senderReceived = new AtomicLong();

	private final List<Receiver> all = new ArrayList<>();

	private Channel sender;

	// on the sender's event loop only
	private long nextSeq;

	private volatile boolean sending;

	Broadcast(LoadGen gen, LoadGen.Scenario scenario) throws Exception {
		this.gen = gen;
		this.scenario = scenario;
		URI echo = gen.uri;
		this.uri = new URI(echo.getScheme(), null, echo.getHost(), echo.getPort(), gen.opt("bcast-path", "/bcast"),
				null, null);
		this.receivers = scenario.conns();
		String ports = gen.opt("ports", null);
		this.ports = (ports != null)
				? Arrays.stream(ports.split(",")).mapToInt((port) -> Integer.parseInt(port.trim())).toArray()
				: new int[] { echo.getPort() };
		if (scenario.window() >= RING) {
			throw new IllegalArgumentException("window must be below " + RING);
		}
	}

	String run(double warmup, double duration) throws Exception {
		LoadGen g = this.gen;
		g.window = this.scenario.window();
		g.size = this.scenario.size();
		g.binary = false;
		if (g.size < LoadGen.PREFIX) {
			throw new IllegalArgumentException("size must be at least " + LoadGen.PREFIX);
		}
		byte[] pattern = new byte[g.size];
		for (int i = 0; i < pattern.length; i++) {
			pattern[i] = (byte) ('a' + i % 26);
		}
		g.template = Unpooled.wrappedBuffer(pattern);
		g.onAll((w) -> {
			w.reset();
			return null;
		});
		// receivers in batches of 200 handshakes, then the sender
		for (int opened = 0; opened < this.receivers;) {
			int batch = Math.min(200, this.receivers - opened);
			CountDownLatch latch = new CountDownLatch(batch);
			Bootstrap b = g.bootstrap(this.uri, Math.max(65536, g.size * 2), () -> new Receiver(latch));
			for (int i = 0; i < batch; i++) {
				g.connect(b, this.ports[(opened + i) % this.ports.length], latch::countDown);
			}
			if (!latch.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("receivers did not open in 60 s: " + g.firstError());
			}
			opened += batch;
		}
		int open = countOpen();
		if (open < this.receivers) {
			throw new IllegalStateException(
					"only " + open + " of " + this.receivers + " receivers opened: " + g.firstError());
		}
		CountDownLatch senderOpen = new CountDownLatch(1);
		Bootstrap senderBootstrap = g.bootstrap(this.uri, Math.max(65536, g.size * 2),
				() -> new Receiver(senderOpen, true));
		g.connect(senderBootstrap, this.ports[0], senderOpen::countDown);
		if (!senderOpen.await(30, TimeUnit.SECONDS) || this.sender == null) {
			throw new IllegalStateException("the sender did not open: " + g.firstError());
		}
		// sync: until every receiver heard the sender once (10 s at most)
		long syncDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (this.synced.get() < this.receivers && System.nanoTime() < syncDeadline) {
			this.sender.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(SYNC)));
			Thread.sleep(50);
		}
		if (this.synced.get() < this.receivers) {
			throw new IllegalStateException("only " + this.synced.get() + " of " + this.receivers
					+ " receivers heard the sender within 10 s: " + g.firstError());
		}
		Thread.sleep(100); // the last syncs in flight arrive before the numbered messages
		this.sending = true;
		this.sender.eventLoop().execute(this::pump);
		LoadGen.sleep(warmup);
		long[] cpuStart = new long[3];
		List<Long> starts = g.onAll((w) -> {
			w.histogram.reset();
			w.msgs = 0;
			w.bytes = 0;
			w.completed = 0;
			w.measuring = true;
			long now = System.nanoTime();
			if (w == g.workers.get(0)) {
				cpuStart[0] = LoadGen.processCpuNanos();
				cpuStart[1] = g.serverCpuTicks();
				cpuStart[2] = g.serverWriteCalls();
			}
			return now;
		});
		long completedAtStart = this.completedTotal.get();
		LoadGen.announceWindow(this.scenario.name());
		LoadGen.sleep(duration);
		long[] cpuEnd = new long[3];
		List<long[]> ends = g.onAll((w) -> {
			w.measuring = false;
			long now = System.nanoTime();
			if (w == g.workers.get(0)) {
				cpuEnd[0] = LoadGen.processCpuNanos();
				cpuEnd[1] = g.serverCpuTicks();
				cpuEnd[2] = g.serverWriteCalls();
			}
			return new long[] { now, w.msgs, w.bytes, w.completed };
		});
		this.sending = false;
		boolean stalled = this.completedTotal.get() == completedAtStart;
		Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
		for (Histogram part : g.onAll((w) -> w.histogram.copy())) {
			h.add(part);
		}
		// the messages in flight complete, then everyone closes
		long sentTotal = sentSoFar();
		long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < drainDeadline && this.completedTotal.get() < sentTotal) {
			Thread.sleep(20);
		}
		long notDrained = sentTotal - this.completedTotal.get();
		closeAll();
		long startNanos = 0;
		long endNanos = 0;
		long deliveries = 0;
		long bytes = 0;
		long completed = 0;
		for (int i = 0; i < ends.size(); i++) {
			startNanos += starts.get(i);
			endNanos += ends.get(i)[0];
			deliveries += ends.get(i)[1];
			bytes += ends.get(i)[2];
			completed += ends.get(i)[3];
		}
		double secs = (endNanos - startNanos) / 1e9 / ends.size();
		double clientCpu = (cpuEnd[0] - cpuStart[0]) / 1e9;
		double clkTck = Double.parseDouble(g.opt("clk-tck", "100"));
		double serverCpu = (cpuStart[1] < 0 || cpuEnd[1] < 0) ? -1 : (cpuEnd[1] - cpuStart[1]) / clkTck;
		StringBuilder json = new StringBuilder("{\"mode\":\"bcast\"");
		LoadGen.field(json, "scenario", "\"" + this.scenario.name() + "\"");
		LoadGen.field(json, "url", "\"" + this.uri + "\"");
		LoadGen.field(json, "receivers", this.receivers);
		LoadGen.field(json, "servers", this.ports.length);
		LoadGen.field(json, "window", g.window);
		LoadGen.field(json, "size", g.size);
		LoadGen.field(json, "type", "\"text\"");
		LoadGen.field(json, "duration_s", LoadGen.fmt(secs));
		LoadGen.field(json, "msgs", completed);
		LoadGen.field(json, "msgs_per_s", LoadGen.fmt(completed / secs));
		LoadGen.field(json, "deliveries", deliveries);
		LoadGen.field(json, "deliveries_per_s", LoadGen.fmt(deliveries / secs));
		LoadGen.field(json, "mb_per_s", LoadGen.fmt(bytes / secs / 1e6));
		LoadGen.field(json, "p50_us", LoadGen.fmt(h.getValueAtPercentile(50) / 1e3));
		LoadGen.field(json, "p99_us", LoadGen.fmt(h.getValueAtPercentile(99) / 1e3));
		LoadGen.field(json, "p999_us", LoadGen.fmt(h.getValueAtPercentile(99.9) / 1e3));
		LoadGen.field(json, "max_us", LoadGen.fmt(h.getMaxValue() / 1e3));
		LoadGen.field(json, "mismatches", g.sum((w) -> w.mismatches));
		LoadGen.field(json, "unexpected_closes", g.sum((w) -> w.unexpectedCloses));
		LoadGen.field(json, "errors", g.sum((w) -> w.errors) + Math.max(0, notDrained) + (stalled ? 1 : 0));
		LoadGen.field(json, "sender_received", this.senderReceived.get());
		LoadGen.field(json, "client_cpu_pct", LoadGen.fmt(100 * clientCpu / secs));
		LoadGen.field(json, "server_cpu_pct", serverCpu < 0 ? "null" : LoadGen.fmt(100 * serverCpu / secs));
		LoadGen.field(json, "server_cpu_us_per_delivery",
				(serverCpu < 0 || deliveries == 0) ? "null" : LoadGen.fmt(serverCpu * 1e6 / deliveries));
		LoadGen.field(json, "server_cpu_us_per_msg",
				(serverCpu < 0 || completed == 0) ? "null" : LoadGen.fmt(serverCpu * 1e6 / completed));
		LoadGen.field(json, "server_writes_per_delivery", LoadGen.perMessage(cpuStart[2], cpuEnd[2], deliveries));
		LoadGen.field(json, "client_threads", g.workers.size());
		String err = stalled ? "no broadcast completed during the measurement" : g.firstError();
		LoadGen.field(json, "first_error", err == null ? "null" : "\"" + LoadGen.jsonSafe(err) + "\"");
		return json.append('}').toString();
	}

	private long sentSoFar() throws Exception {
		return this.sender.eventLoop().submit(() -> this.nextSeq).get(30, TimeUnit.SECONDS);
	}

	private int countOpen() {
		synchronized (this.all) {
			return (int) this.all.stream().filter((r) -> r.handshaken && !r.failed && !r.isSender).count();
		}
	}

	/** On the sender's loop: keep the window full. */
	private void pump() {
		int window = this.gen.window;
		boolean wrote = false;
		while (this.sending && this.nextSeq - this.completedTotal.get() < window && this.sender.isActive()) {
			long seq = this.nextSeq++;
			int slot = (int) (seq % RING);
			this.arrived.set(slot, 0);
			ByteBuf buf = this.sender.alloc().buffer(this.gen.size);
			for (int i = LoadGen.PREFIX - 1; i >= 0; i--) {
				buf.writeByte(LoadGen.HEX[(int) (seq >>> (4 * i)) & 0xf]);
			}
			buf.writeBytes(this.gen.template, LoadGen.PREFIX, this.gen.size - LoadGen.PREFIX);
			this.sentAt.set(slot, System.nanoTime());
			this.sender.write(new TextWebSocketFrame(buf));
			wrote = true;
		}
		if (wrote) {
			this.sender.flush();
		}
	}

	private void closeAll() throws Exception {
		List<Receiver> conns;
		synchronized (this.all) {
			conns = new ArrayList<>(this.all);
		}
		List<ChannelFuture> closes = new ArrayList<>();
		for (Receiver r : conns) {
			r.channel.eventLoop().execute(() -> {
				r.closing = true;
				if (r.channel.isActive()) {
					r.channel.writeAndFlush(new CloseWebSocketFrame(1000, ""));
				}
			});
			closes.add(r.channel.closeFuture());
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		for (ChannelFuture f : closes) {
			long left = deadline - System.nanoTime();
			if (left <= 0 || !f.await(left, TimeUnit.NANOSECONDS)) {
				break;
			}
		}
		for (Receiver r : conns) {
			r.channel.close();
		}
	}

	/** A receiver, or the sender: the last handler of its pipeline, on its channel's loop. */
	final class Receiver extends SimpleChannelInboundHandler<WebSocketFrame> {

		final CountDownLatch opened;

		final boolean isSender;

		final byte[] expectPrefix = new byte[LoadGen.PREFIX];

		LoadGen.Worker worker;

		Channel channel;

		boolean handshaken;

		boolean failed;

		boolean closing;

		boolean heardSync;

		long expectSeq;

		Receiver(CountDownLatch opened) {
			this(opened, false);
		}

		Receiver(CountDownLatch opened, boolean isSender) {
			this.opened = opened;
			this.isSender = isSender;
		}

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			this.channel = ctx.channel();
			for (LoadGen.Worker w : Broadcast.this.gen.workers) {
				if (w.loop.inEventLoop()) {
					this.worker = w;
				}
			}
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
			if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
				this.handshaken = true;
				synchronized (Broadcast.this.all) {
					Broadcast.this.all.add(this);
				}
				if (this.isSender) {
					Broadcast.this.sender = this.channel;
				}
				if (this.opened != null) {
					this.opened.countDown();
				}
			}
			else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
				handshakeFailed(new IllegalStateException("handshake timeout"));
			}
			super.userEventTriggered(ctx, evt);
		}

		void handshakeFailed(Throwable cause) {
			if (!this.handshaken) {
				this.handshaken = true;
				this.failed = true;
				this.worker.error(cause);
				if (this.opened != null) {
					this.opened.countDown();
				}
			}
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
			if (frame instanceof PingWebSocketFrame || frame instanceof PongWebSocketFrame) {
				return;
			}
			LoadGen.Worker w = this.worker;
			if (frame instanceof CloseWebSocketFrame close) {
				if (!this.closing) {
					w.unexpectedCloses++;
					w.error(new IllegalStateException(
							"server closed: " + close.statusCode() + " " + close.reasonText()));
					this.closing = true;
				}
				return;
			}
			if (this.isSender) {
				Broadcast.this.senderReceived.incrementAndGet();
				return;
			}
			long now = System.nanoTime();
			ByteBuf content = frame.content();
			if (content.readableBytes() == SYNC.length && ByteBufUtil.equals(content, content.readerIndex(),
					Unpooled.wrappedBuffer(SYNC), 0, SYNC.length)) {
				if (!this.heardSync) {
					this.heardSync = true;
					Broadcast.this.synced.incrementAndGet();
				}
				return;
			}
			long seq = this.expectSeq++;
			for (int i = LoadGen.PREFIX - 1; i >= 0; i--) {
				this.expectPrefix[LoadGen.PREFIX - 1 - i] = LoadGen.HEX[(int) (seq >>> (4 * i)) & 0xf];
			}
			int size = Broadcast.this.gen.size;
			boolean ok = frame instanceof TextWebSocketFrame && content.readableBytes() == size
					&& LoadGen.sameBytes(content, content.readerIndex(), this.expectPrefix, 0, LoadGen.PREFIX)
					&& LoadGen.sameBytes(content, content.readerIndex() + LoadGen.PREFIX, Broadcast.this.gen.template.array(),
							LoadGen.PREFIX, size - LoadGen.PREFIX);
			if (!ok) {
				w.mismatches++;
				if (w.firstError == null) {
					w.firstError = "broadcast " + seq + " differs or is out of order (" + content.readableBytes()
							+ " bytes)";
				}
			}
			if (w.measuring) {
				w.msgs++;
				w.bytes += size;
			}
			int slot = (int) (seq % RING);
			if (Broadcast.this.arrived.incrementAndGet(slot) == Broadcast.this.receivers) {
				// the last receiver: the broadcast is complete
				if (w.measuring) {
					w.histogram.recordValue(Math.max(0, now - Broadcast.this.sentAt.get(slot)));
					w.completed++;
				}
				Broadcast.this.completedTotal.incrementAndGet();
				Channel s = Broadcast.this.sender;
				if (s.eventLoop().inEventLoop()) {
					pump();
				}
				else {
					s.eventLoop().execute(Broadcast.this::pump);
				}
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			if (!this.handshaken) {
				handshakeFailed(new IllegalStateException("closed before the handshake completed"));
			}
			else if (!this.closing) {
				this.worker.unexpectedCloses++;
				if (this.worker.firstError == null) {
					this.worker.firstError = (this.isSender ? "the sender" : "a receiver") + " was closed unexpectedly";
				}
			}
			super.channelInactive(ctx);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			if (!this.handshaken) {
				handshakeFailed(cause);
			}
			else {
				this.worker.error(cause);
			}
			ctx.close();
		}

	}

}
