package io.autobahn.spring.bench.loadgen;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.EventExecutor;
import org.HdrHistogram.Histogram;

/**
 * WebSocket load generator for the benchmarks: {@code --threads} Netty event loop threads (one by
 * default, so one CPU; the connections are spread over them), plain WebSocket (no compression),
 * masking as a browser does.
 *
 * <p>{@code --mode echo}: N connections each keep a window of W messages in flight; every message
 * starts with its sequence number (16 hex digits) and the rest is a fixed pattern, so every echo is
 * checked for content and order. After the warm-up, the measurement runs for a fixed duration;
 * then the connections drain and close. One JSON line per scenario: {@code --scenarios} lists
 * several ({@code name:conns:window:size:type}, space-separated), run one after the other in this
 * JVM, after {@code --prewarm} seconds of traffic (every scenario twice, at its own shape) whose
 * results are thrown away (so the load generator's JIT, and a fresh server's, is warm before the
 * first measurement rather than in it); with {@code --duration 0} only that pre-warm runs;
 * without it, {@code --conns}, {@code --window}, {@code --size} and {@code --type} give one.
 * {@code --mode serve} takes such runs as lines on stdin, one JVM for a whole benchmark. A
 * scenario of type {@code bcast} is a broadcast instead ({@link Broadcast}: N receivers and one
 * sender on {@code --bcast-path}, default {@code /bcast}; {@code --ports p1,p2,...} spreads the
 * receivers over several servers, the sender on the first).
 * With {@code --server-pid} an echo run also reports the server's CPU time per message, and with
 * {@code --server-alloc-url} the heap bytes the server allocated per message.
 * {@code --mode idle}: opens C connections (at most {@code --concurrency} handshakes at a time),
 * reports, and holds them until {@code --release-file} exists or {@code --hold} seconds pass.
 * {@code --mode server}: the raw Netty echo ({@link RawNettyEchoServer}) on {@code --threads}
 * event loops.
 *
 * <p>The load generator spends its one CPU on the messages, not on checks it makes anyway: Netty's
 * UTF-8 validation of text frames is off (every message is compared byte for byte with what was
 * sent, which is stricter), and so is Netty's buffer leak detection (its sampling records stack
 * traces). Off, the broadcast's receivers cost it less than half the CPU per message.
 *
 * <p>Each event loop keeps its own counters and histogram ({@link Worker}), touched on that loop
 * only; a report adds them up. A scenario's parameters are set before its connections open and
 * only read afterwards.
 */
public final class LoadGen {

	static final int PREFIX = 16;

	static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	final Map<String, String> opts;

	final URI uri;

	final EventLoopGroup group;

	/** One per event loop of the group, in the group's order. */
	final List<Worker> workers = new ArrayList<>();

	// the scenario: written before its connections open, read-only while they run
	int size;

	int window;

	boolean binary;

	ByteBuf template;

	LoadGen(Map<String, String> opts, EventLoopGroup group) throws Exception {
		this.opts = opts;
		this.group = group;
		this.uri = new URI(opt("url", "ws://127.0.0.1:8080/echo"));
		for (EventExecutor loop : group) {
			this.workers.add(new Worker(loop));
		}
	}

	String opt(String name, String dflt) {
		return this.opts.getOrDefault(name, dflt);
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> opts = parse(args);
		int threads = Integer.parseInt(opts.getOrDefault("threads", "1"));
		if (threads < 1) {
			throw new IllegalArgumentException("--threads must be at least 1");
		}
		ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
		try {
			switch (opts.getOrDefault("mode", "echo")) {
				case "server" -> RawNettyEchoServer.run(group, Integer.parseInt(opts.getOrDefault("port", "8080")));
				case "idle" -> new LoadGen(opts, group).idle();
				case "serve" -> serve(opts, group);
				default -> new LoadGen(opts, group).echoAll();
			}
		}
		finally {
			System.out.flush();
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		}
		System.exit(0);
	}

	/**
	 * {@code --mode serve}: one JVM for a whole benchmark run, so that its JIT is warm after the
	 * first runs instead of compiling (on the load generator's only CPU) during every measurement.
	 * Each line on stdin holds the options of one echo run ({@code --url ... --scenarios a,b});
	 * its JSON lines are followed by {@code {"mode":"done"}}. Ends at the end of stdin. The event
	 * loops ({@code --threads}) are the JVM's: a line cannot change their number.
	 */
	static void serve(Map<String, String> defaults, EventLoopGroup group) throws Exception {
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			if (line.isBlank()) {
				continue;
			}
			Map<String, String> opts = new HashMap<>(defaults);
			opts.putAll(parse(line.trim().split("\\s+")));
			try {
				new LoadGen(opts, group).echoAll();
			}
			catch (Exception ex) {
				System.out.println("{\"mode\":\"echo\",\"errors\":1,\"first_error\":\"" + jsonSafe(ex) + "\"}");
			}
			System.out.println("{\"mode\":\"done\"}");
			System.out.flush();
		}
	}

	static Map<String, String> parse(String[] args) {
		Map<String, String> opts = new HashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		return opts;
	}

	static String jsonSafe(Object value) {
		return String.valueOf(value).replace("\\", "/").replace("\"", "'");
	}

	/** Connections whose last handler {@code conn} makes, on the channel's event loop. */
	Bootstrap bootstrap(int maxFrame, Supplier<Conn> conn) {
		return bootstrap(this.uri, maxFrame, conn);
	}

	/** Connections to the given URI whose last handler {@code conn} makes. */
	Bootstrap bootstrap(URI uri, int maxFrame, Supplier<? extends ChannelHandler> conn) {
		WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
			.webSocketUri(uri)
			.maxFramePayloadLength(maxFrame)
			.handshakeTimeoutMillis(30_000)
			.dropPongFrames(true)
			.withUTF8Validator(false)
			.build();
		return new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel ch) {
					ch.pipeline()
						.addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
								new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(maxFrame),
								conn.get());
				}
			});
	}

	// ---------------------------------------------------------------- echo

	/**
	 * One scenario: an echo (N connections, W messages in flight on each, payload size and type
	 * {@code text} or {@code binary}) or a broadcast (type {@code bcast}: N receivers, one
	 * sender with W text messages in flight, see {@link Broadcast}).
	 */
	record Scenario(String name, int conns, int window, int size, boolean binary, boolean broadcast) {

		static Scenario parse(String spec) {
			String[] f = spec.split(":");
			return new Scenario(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
					"binary".equals(f[4]), "bcast".equals(f[4]));
		}

	}

	/** Runs the scenarios, each printed as it ends. */
	void echoAll() throws Exception {
		List<Scenario> scenarios = new ArrayList<>();
		String specs = opt("scenarios", null);
		if (specs != null) {
			for (String spec : specs.trim().split("[\\s,]+")) {
				scenarios.add(Scenario.parse(spec));
			}
		}
		else {
			scenarios.add(new Scenario("echo", Integer.parseInt(opt("conns", "1")),
					Integer.parseInt(opt("window", "1")), Integer.parseInt(opt("size", "64")),
					"binary".equals(opt("type", "text")), "bcast".equals(opt("type", "text"))));
		}
		double warmup = Double.parseDouble(opt("warmup", "5"));
		double duration = Double.parseDouble(opt("duration", "10"));
		double prewarm = Double.parseDouble(opt("prewarm", "0"));
		double prewarmEach = 0;
		if (prewarm > 0) {
			// every scenario at its own shape (connections and window too): a fresh Tomcat
			// server still ran 64 connections at half its later rate for ~10 s after 10 s of traffic
			// with 16 (its JIT, on one CPU, was still compiling). Twice over: code compiled during
			// the first scenario was compiled again for the later ones' shapes, and the first
			// measurement of that scenario then paid for compiling it once more (a fresh Tomcat
			// server ran lat-64 at ~70% of its later rate with its C2 thread at a third of the CPU).
			// Printed too (scenario "prewarm"), so that an error there is seen.
			List<Scenario> once = scenarios.stream()
				.map((s) -> new Scenario("prewarm", s.conns(), s.window(), s.size(), s.binary(), s.broadcast()))
				.toList();
			List<Scenario> warming = new ArrayList<>(once);
			warming.addAll(once);
			scenarios.addAll(0, warming);
			prewarmEach = prewarm / warming.size();
		}
		for (Scenario scenario : scenarios) {
			boolean warming = "prewarm".equals(scenario.name());
			if (!warming && duration <= 0) {
				continue;
			}
			String json;
			try {
				double[] times = warming ? new double[] { 0, prewarmEach } : new double[] { warmup, duration };
				json = scenario.broadcast() ? new Broadcast(this, scenario).run(times[0], times[1])
						: echo(scenario, times[0], times[1]);
			}
			catch (Exception ex) {
				json = "{\"mode\":\"echo\",\"scenario\":\"" + scenario.name() + "\",\"errors\":1,\"first_error\":\""
						+ jsonSafe(ex) + "\"}";
			}
			System.out.println(json);
			System.out.flush();
		}
	}

	String echo(Scenario scenario, double warmup, double duration) throws Exception {
		int n = scenario.conns();
		this.window = scenario.window();
		this.size = scenario.size();
		this.binary = scenario.binary();
		if (this.size < PREFIX) {
			throw new IllegalArgumentException("size must be at least " + PREFIX);
		}
		byte[] pattern = new byte[this.size];
		for (int i = 0; i < pattern.length; i++) {
			pattern[i] = this.binary ? (byte) (i * 31 + 7) : (byte) ('a' + i % 26);
		}
		this.template = Unpooled.wrappedBuffer(pattern);
		// the loops see the scenario above: each task submitted to a loop happens after it
		onAll((w) -> {
			w.reset();
			return null;
		});
		// the server's heap allocation is read once before the window and once after it; what one read
		// costs the server is taken off, measured here by two reads back to back before any traffic
		// (after one more: a fresh server's first request loads classes, ~1 MB)
		serverAllocatedBytes();
		long[] readCost = { serverAllocatedBytes(), serverAllocatedBytes() };
		CountDownLatch open = new CountDownLatch(n);
		// each connection's handler gets the latch when it is made, before any of its I/O, so
		// that no handshake can complete before someone counts it
		Bootstrap bootstrap = bootstrap(Math.max(65536, this.size * 2), () -> new Conn(open, null));
		for (int i = 0; i < n; i++) {
			connect(bootstrap, open::countDown);
		}
		if (!open.await(30, TimeUnit.SECONDS) || sum((w) -> (long) w.conns.size()) < n) {
			throw new IllegalStateException(
					"only " + sum((w) -> (long) w.conns.size()) + " of " + n + " connections opened: " + firstError());
		}
		onAll((w) -> {
			w.sending = true;
			for (Conn c : w.conns) {
				c.fill();
			}
			return null;
		});
		sleep(warmup);
		long[] alloc = { readCost[0], readCost[1], serverAllocatedBytes(), -1 };
		// each loop counts from the moment it is told to until it is told to stop: the window is
		// the mean of those moments (one loop: exactly its own). The first loop also reads the CPU
		// times, at its own start and stop, as a single loop did.
		long[] cpuStart = new long[3];
		List<Long> starts = onAll((w) -> {
			w.histogram.reset();
			w.msgs = 0;
			w.bytes = 0;
			w.measuring = true;
			long now = System.nanoTime();
			if (w == this.workers.get(0)) {
				cpuStart[0] = processCpuNanos();
				cpuStart[1] = serverCpuTicks();
				cpuStart[2] = serverWriteCalls();
			}
			return now;
		});
		announceWindow(scenario.name());
		sleep(duration);
		long[] cpuEnd = new long[3];
		List<long[]> ends = onAll((w) -> {
			w.measuring = false;
			w.sending = false;
			long now = System.nanoTime();
			if (w == this.workers.get(0)) {
				cpuEnd[0] = processCpuNanos();
				cpuEnd[1] = serverCpuTicks();
				cpuEnd[2] = serverWriteCalls();
			}
			return new long[] { now, w.msgs, w.bytes };
		});
		alloc[3] = serverAllocatedBytes();
		Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
		for (Histogram part : onAll((w) -> w.histogram.copy())) {
			h.add(part);
		}
		// drain the echoes still in flight, then close cleanly
		long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < drainDeadline && sum((w) -> w.inFlightConns()) > 0) {
			Thread.sleep(20);
		}
		long notDrained = sum((w) -> w.inFlightConns());
		closeAll();
		long startNanos = 0;
		long endNanos = 0;
		long count = 0;
		long bytes = 0;
		for (int i = 0; i < ends.size(); i++) {
			startNanos += starts.get(i);
			endNanos += ends.get(i)[0];
			count += ends.get(i)[1];
			bytes += ends.get(i)[2];
		}
		double secs = (endNanos - startNanos) / 1e9 / ends.size();
		double clientCpu = (cpuEnd[0] - cpuStart[0]) / 1e9;
		double clkTck = Double.parseDouble(opt("clk-tck", "100"));
		double serverCpu = (cpuStart[1] < 0 || cpuEnd[1] < 0) ? -1 : (cpuEnd[1] - cpuStart[1]) / clkTck;
		StringBuilder json = new StringBuilder("{\"mode\":\"echo\"");
		field(json, "scenario", "\"" + scenario.name() + "\"");
		field(json, "url", "\"" + this.uri + "\"");
		field(json, "conns", n);
		field(json, "window", this.window);
		field(json, "size", this.size);
		field(json, "type", "\"" + (this.binary ? "binary" : "text") + "\"");
		field(json, "duration_s", fmt(secs));
		field(json, "msgs", count);
		field(json, "msgs_per_s", fmt(count / secs));
		field(json, "mb_per_s", fmt(bytes / secs / 1e6));
		field(json, "p50_us", fmt(h.getValueAtPercentile(50) / 1e3));
		field(json, "p99_us", fmt(h.getValueAtPercentile(99) / 1e3));
		field(json, "p999_us", fmt(h.getValueAtPercentile(99.9) / 1e3));
		field(json, "max_us", fmt(h.getMaxValue() / 1e3));
		field(json, "mismatches", sum((w) -> w.mismatches));
		field(json, "unexpected_closes", sum((w) -> w.unexpectedCloses));
		field(json, "errors", sum((w) -> w.errors) + notDrained);
		field(json, "client_cpu_pct", fmt(100 * clientCpu / secs));
		field(json, "server_cpu_pct", serverCpu < 0 ? "null" : fmt(100 * serverCpu / secs));
		field(json, "server_cpu_us_per_msg", (serverCpu < 0 || count == 0) ? "null" : fmt(serverCpu * 1e6 / count));
		field(json, "server_writes_per_msg", perMessage(cpuStart[2], cpuEnd[2], count));
		boolean allocRead = alloc[0] >= 0 && alloc[1] >= 0 && alloc[2] >= 0 && alloc[3] >= 0;
		long allocInWindow = (alloc[3] - alloc[2]) - (alloc[1] - alloc[0]);
		field(json, "server_alloc_bytes_per_msg",
				(!allocRead || count == 0) ? "null" : fmt((double) allocInWindow / count));
		field(json, "server_alloc_read_bytes", allocRead ? alloc[1] - alloc[0] : "null");
		field(json, "client_threads", this.workers.size());
		String err = firstError();
		field(json, "first_error", err == null ? "null" : "\"" + jsonSafe(err) + "\"");
		return json.append('}').toString();
	}

	/**
	 * Opens one connection. A failure to connect counts as a failed handshake of its handler, or,
	 * where the channel never got one, as an error of the first loop followed by {@code noHandler}.
	 */
	void connect(Bootstrap bootstrap, Runnable noHandler) {
		connect(bootstrap, this.uri.getPort(), noHandler);
	}

	/** Opens one connection to the given port of the URI's host, as {@link #connect(Bootstrap, Runnable)}. */
	void connect(Bootstrap bootstrap, int port, Runnable noHandler) {
		bootstrap.connect(this.uri.getHost(), port).addListener((ChannelFuture f) -> {
			if (!f.isSuccess()) {
				// on the channel's loop, or on the caller's thread for a channel never registered
				if (f.channel().pipeline().last() instanceof Conn c && c.worker != null) {
					c.channel.eventLoop().execute(() -> c.handshakeFailed(f.cause()));
				}
				else {
					Worker first = this.workers.get(0);
					first.loop.execute(() -> first.error(f.cause()));
					noHandler.run();
				}
			}
		});
	}

	// ---------------------------------------------------------------- idle

	void idle() throws Exception {
		int total = Integer.parseInt(opt("conns", "10000"));
		int concurrency = Integer.parseInt(opt("concurrency", "200"));
		double hold = Double.parseDouble(opt("hold", "60"));
		String release = opt("release-file", null);
		AtomicInteger started = new AtomicInteger();
		AtomicInteger succeeded = new AtomicInteger();
		AtomicInteger finished = new AtomicInteger();
		CountDownLatch done = new CountDownLatch(1);
		Bootstrap[] bootstrap = new Bootstrap[1];
		@SuppressWarnings("unchecked")
		Consumer<Boolean>[] onHandshake = new Consumer[1];
		// at most `concurrency` handshakes at a time: each one that ends starts the next
		Runnable next = () -> {
			if (started.getAndIncrement() < total) {
				connect(bootstrap[0], () -> onHandshake[0].accept(false));
			}
		};
		onHandshake[0] = (ok) -> {
			if (ok) {
				succeeded.incrementAndGet();
			}
			if (finished.incrementAndGet() == total) {
				done.countDown();
			}
			next.run();
		};
		bootstrap[0] = bootstrap(65536, () -> new Conn(null, onHandshake[0]));
		long t0 = System.nanoTime();
		for (int i = 0; i < Math.min(concurrency, total); i++) {
			next.run();
		}
		done.await(120, TimeUnit.SECONDS);
		double secs = (System.nanoTime() - t0) / 1e9;
		int opened = succeeded.get();
		StringBuilder json = new StringBuilder("{\"mode\":\"idle\"");
		field(json, "url", "\"" + this.uri + "\"");
		field(json, "attempted", total);
		field(json, "succeeded", opened);
		field(json, "failed", total - opened);
		field(json, "elapsed_s", fmt(secs));
		field(json, "handshakes_per_s", fmt(opened / secs));
		field(json, "client_threads", this.workers.size());
		String err = firstError();
		field(json, "first_error", err == null ? "null" : "\"" + jsonSafe(err) + "\"");
		json.append('}');
		// report now, then hold the connections while the script measures the server
		System.out.println(json);
		System.out.flush();
		long deadline = System.nanoTime() + (long) (hold * 1e9);
		while (System.nanoTime() < deadline && (release == null || !Files.exists(Path.of(release)))) {
			Thread.sleep(50);
		}
		long stillOpen = sum((w) -> w.conns.stream().filter((c) -> c.channel.isActive()).count());
		// reported before the close handshakes, which the script does not wait for (it stops the server);
		// a connection lost during the hold says how (a close frame's code, an I/O error, or neither)
		String lost = firstError();
		System.out.println("{\"mode\":\"idle-end\",\"still_open\":" + stillOpen + ",\"unexpected_closes\":"
				+ sum((w) -> w.unexpectedCloses) + ",\"errors\":" + sum((w) -> w.errors) + ",\"first_error\":"
				+ ((lost != null) ? "\"" + jsonSafe(lost) + "\"" : "null") + "}");
		System.out.flush();
		closeAll();
	}

	// ---------------------------------------------------------------- plumbing

	void closeAll() throws Exception {
		List<ChannelFuture> closes = new ArrayList<>();
		for (List<ChannelFuture> some : onAll((w) -> {
			List<ChannelFuture> list = new ArrayList<>();
			for (Conn c : w.conns) {
				c.closing = true;
				if (c.channel.isActive()) {
					c.channel.writeAndFlush(new CloseWebSocketFrame(1000, ""));
				}
				list.add(c.channel.closeFuture());
			}
			return list;
		})) {
			closes.addAll(some);
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		for (ChannelFuture f : closes) {
			long left = deadline - System.nanoTime();
			if (left <= 0 || !f.await(left, TimeUnit.NANOSECONDS)) {
				break;
			}
		}
		onAll((w) -> {
			w.conns.forEach((c) -> c.channel.close());
			return null;
		});
	}

	/** Runs the task on every event loop, each with its own worker, and waits for all. */
	<T> List<T> onAll(Function<Worker, T> task) throws Exception {
		List<Future<T>> futures = new ArrayList<>();
		for (Worker w : this.workers) {
			Callable<T> call = () -> task.apply(w);
			futures.add(w.loop.submit(call));
		}
		List<T> results = new ArrayList<>();
		for (Future<T> f : futures) {
			results.add(f.get(30, TimeUnit.SECONDS));
		}
		return results;
	}

	long sum(Function<Worker, Long> value) throws Exception {
		long total = 0;
		for (long v : onAll(value)) {
			total += v;
		}
		return total;
	}

	/**
	 * One line on stderr as a measurement window opens, after the connections and the warm-up, for
	 * a tool that attaches to the server then (benchmarks/profile.sh).
	 */
	static void announceWindow(String scenario) {
		System.err.println("measuring " + scenario);
		System.err.flush();
	}

	/** The first error of the first loop that had one. */
	String firstError() throws Exception {
		for (String e : onAll((w) -> w.firstError)) {
			if (e != null) {
				return e;
			}
		}
		return null;
	}

	/** The CPU ticks of {@code --server-pid}: one process, or the sum of a comma-separated list. */
	long serverCpuTicks() {
		return sumOverServers((pid) -> {
			String stat = Files.readString(Path.of("/proc", pid, "stat"));
			String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// fields after the command: state(0) ... utime(11) stime(12)
			return Long.parseLong(f[11]) + Long.parseLong(f[12]);
		});
	}

	/**
	 * The write system calls (write, writev, send...) that {@code --server-pid} has made so far,
	 * summed over its processes ({@code syscw} in {@code /proc/<pid>/io}), or -1 without it or where
	 * that file cannot be read. Per message, it shows how many frames a server hands the kernel at a time.
	 */
	long serverWriteCalls() {
		return sumOverServers((pid) -> {
			for (String line : Files.readAllLines(Path.of("/proc", pid, "io"))) {
				if (line.startsWith("syscw:")) {
					return Long.parseLong(line.substring("syscw:".length()).trim());
				}
			}
			throw new IllegalStateException("no syscw in /proc/" + pid + "/io");
		});
	}

	/** A figure of one process, read from {@code /proc}. */
	interface ProcessFigure {

		long read(String pid) throws Exception;

	}

	/** The sum of a figure over the processes of {@code --server-pid}, or -1 without it or where a read fails. */
	private long sumOverServers(ProcessFigure figure) {
		String pids = opt("server-pid", null);
		if (pids == null) {
			return -1;
		}
		try {
			long sum = 0;
			for (String pid : pids.split(",")) {
				sum += figure.read(pid.trim());
			}
			return sum;
		}
		catch (Exception ex) {
			return -1;
		}
	}

	/**
	 * Whether {@code length} bytes of {@code content} from {@code index} equal those of
	 * {@code pattern} from {@code offset}: through the JDK's vectorized {@code ByteBuffer.mismatch},
	 * several times faster than {@code ByteBufUtil.equals} (which took 44% of the load generator's
	 * CPU in the 16 KiB broadcast).
	 */
	static boolean sameBytes(ByteBuf content, int index, byte[] pattern, int offset, int length) {
		return content.nioBuffer(index, length).mismatch(ByteBuffer.wrap(pattern, offset, length)) == -1;
	}

	/** The write calls per message (or delivery) between two reads, or {@code null} where one failed. */
	static String perMessage(long start, long end, long count) {
		return (start < 0 || end < 0 || count == 0) ? "null" : String.format(Locale.ROOT, "%.3f", (double) (end - start) / count);
	}

	/**
	 * The heap bytes the server's JVM has allocated so far, from {@code --server-alloc-url} (the
	 * benchmark servers' {@code AllocationCounter}), or -1 without it or when the read fails.
	 */
	long serverAllocatedBytes() {
		String url = opt("server-alloc-url", null);
		if (url == null) {
			return -1;
		}
		try {
			HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
			connection.setConnectTimeout(2000);
			connection.setReadTimeout(2000);
			try (InputStream in = connection.getInputStream()) {
				return Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
			}
		}
		catch (Exception ex) {
			return -1;
		}
	}

	static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	static void sleep(double secs) throws InterruptedException {
		Thread.sleep((long) (secs * 1000));
	}

	static String fmt(double v) {
		return String.format(Locale.ROOT, "%.1f", v);
	}

	static void field(StringBuilder json, String name, Object value) {
		json.append(",\"").append(name).append("\":").append(value);
	}

	/** One connection: the last handler of its pipeline. */
	/** The counters and histogram of one event loop, and its connections: touched on that loop only. */
	static final class Worker {

		final EventExecutor loop;

		final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);

		final List<Conn> conns = new ArrayList<>();

		boolean measuring;

		boolean sending;

		long msgs;

		long bytes;

		/** Broadcasts this loop saw complete (its receiver was the last to get them). */
		long completed;

		long mismatches;

		long unexpectedCloses;

		long errors;

		String firstError;

		Worker(EventExecutor loop) {
			this.loop = loop;
		}

		void reset() {
			this.conns.clear();
			this.histogram.reset();
			this.measuring = false;
			this.sending = false;
			this.msgs = 0;
			this.bytes = 0;
			this.completed = 0;
			this.mismatches = 0;
			this.unexpectedCloses = 0;
			this.errors = 0;
			this.firstError = null;
		}

		void error(Throwable t) {
			this.errors++;
			if (this.firstError == null) {
				this.firstError = String.valueOf(t);
			}
		}

		long inFlightConns() {
			return this.conns.stream().filter((c) -> c.inFlight() > 0).count();
		}

	}

	/** One connection: the last handler of its pipeline, on its channel's event loop. */
	final class Conn extends SimpleChannelInboundHandler<WebSocketFrame> {

		final CountDownLatch opened;

		final Consumer<Boolean> onHandshake;

		Worker worker;

		Channel channel;

		boolean handshaken;

		long openedAt;

		boolean closing;

		long nextSeq;

		long expectSeq;

		long[] sentAt;

		final byte[] expectPrefix = new byte[PREFIX];

		Conn(CountDownLatch opened, Consumer<Boolean> onHandshake) {
			this.opened = opened;
			this.onHandshake = onHandshake;
		}

		long inFlight() {
			return this.nextSeq - this.expectSeq;
		}

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			this.channel = ctx.channel();
			for (Worker w : LoadGen.this.workers) {
				if (w.loop.inEventLoop()) {
					this.worker = w;
				}
			}
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
			if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
				this.handshaken = true;
				this.openedAt = System.nanoTime();
				this.worker.conns.add(this);
				this.sentAt = new long[Math.max(1, LoadGen.this.window)];
				if (this.opened != null) {
					this.opened.countDown();
				}
				if (this.onHandshake != null) {
					this.onHandshake.accept(true);
				}
			}
			else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
				handshakeFailed(new IllegalStateException("handshake timeout"));
			}
			super.userEventTriggered(ctx, evt);
		}

		void handshakeFailed(Throwable cause) {
			if (!this.handshaken) {
				this.handshaken = true; // report once
				this.worker.error(cause);
				if (this.opened != null) {
					this.opened.countDown();
				}
				if (this.onHandshake != null) {
					this.onHandshake.accept(false);
				}
			}
		}

		void fill() {
			while (this.worker.sending && inFlight() < LoadGen.this.window && this.channel.isActive()) {
				send();
			}
			this.channel.flush();
		}

		void send() {
			long seq = this.nextSeq++;
			int size = LoadGen.this.size;
			ByteBuf buf = this.channel.alloc().buffer(size);
			for (int i = PREFIX - 1; i >= 0; i--) {
				buf.writeByte(HEX[(int) (seq >>> (4 * i)) & 0xf]);
			}
			buf.writeBytes(LoadGen.this.template, PREFIX, size - PREFIX);
			this.sentAt[(int) (seq % this.sentAt.length)] = System.nanoTime();
			this.channel.write(LoadGen.this.binary ? new BinaryWebSocketFrame(buf) : new TextWebSocketFrame(buf));
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
			if (frame instanceof PingWebSocketFrame || frame instanceof PongWebSocketFrame) {
				return;
			}
			Worker w = this.worker;
			if (frame instanceof CloseWebSocketFrame close) {
				if (!this.closing) {
					w.unexpectedCloses++;
					w.error(new IllegalStateException("server closed: " + close.statusCode() + " " + close.reasonText()));
					this.closing = true;
				}
				return;
			}
			long now = System.nanoTime();
			ByteBuf content = frame.content();
			long seq = this.expectSeq;
			if (seq >= this.nextSeq) {
				mismatch("unsolicited message");
				return;
			}
			this.expectSeq++;
			boolean typeOk = LoadGen.this.binary ? frame instanceof BinaryWebSocketFrame
					: frame instanceof TextWebSocketFrame;
			for (int i = PREFIX - 1; i >= 0; i--) {
				this.expectPrefix[PREFIX - 1 - i] = HEX[(int) (seq >>> (4 * i)) & 0xf];
			}
			int size = LoadGen.this.size;
			boolean ok = typeOk && content.readableBytes() == size
					&& sameBytes(content, content.readerIndex(), this.expectPrefix, 0, PREFIX)
					&& sameBytes(content, content.readerIndex() + PREFIX, LoadGen.this.template.array(), PREFIX,
							size - PREFIX);
			if (!ok) {
				mismatch("echo " + seq + " differs (type ok " + typeOk + ", " + content.readableBytes() + " bytes)");
			}
			if (w.measuring) {
				w.histogram.recordValue(Math.max(0, now - this.sentAt[(int) (seq % this.sentAt.length)]));
				w.msgs++;
				w.bytes += size;
			}
			if (w.sending && inFlight() < LoadGen.this.window) {
				send();
			}
		}

		void mismatch(String what) {
			this.worker.mismatches++;
			if (this.worker.firstError == null) {
				this.worker.firstError = what;
			}
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			ctx.flush();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			if (!this.handshaken) {
				handshakeFailed(new IllegalStateException("closed before the handshake completed"));
			}
			else if (!this.closing) {
				this.worker.unexpectedCloses++;
				if (this.worker.firstError == null) {
					this.worker.firstError = "connection closed unexpectedly (no close frame) "
							+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.openedAt) + " ms after its handshake";
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
