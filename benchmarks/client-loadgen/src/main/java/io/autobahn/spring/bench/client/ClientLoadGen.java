package io.autobahn.spring.bench.client;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import io.autobahn.spring.websocket.WebSocketClientOptions;
import io.autobahn.spring.websocket.WebSocketConnector;
import org.HdrHistogram.Histogram;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The benchmarks' echo load generator on the starter's own client: the auto-configured
 * {@link WebSocketConnector} and {@link EchoClient}, a {@code WebSocketClientProtocol}, in a
 * Spring Boot application without a web server. It measures what {@code benchmarks/loadgen}'s
 * Netty load generator measures, the same way, and prints the same JSON line per scenario, so
 * that the two can be compared against the same server.
 *
 * <p>Options as the Netty load generator's {@code --mode echo} and {@code --mode serve}:
 * {@code --url}, {@code --scenarios name:conns:window:size:type,...} (or {@code --conns},
 * {@code --window}, {@code --size}, {@code --type}), {@code --warmup}, {@code --duration},
 * {@code --prewarm}, {@code --server-pid}, {@code --clk-tck}; {@code --threads} is the number
 * of Reactor Netty event loops ({@code reactor.netty.ioWorkerCount}, one by default as the
 * Netty load generator's), {@code --transport} the connector's ({@code reactor-netty} by
 * default, or {@code jdk}). Every connection is plain WebSocket (no permessage-deflate
 * offered), as the Netty load generator's.
 *
 * <p>N connections each keep W messages in flight: the first message of each goes from the
 * main thread, the rest from the connection's {@code onMessage}, one for every echo, so that
 * a connection's sends and checks run in its hooks only (serialized by the engine). Every
 * message starts with its sequence number (16 hex digits) followed by a fixed pattern, and
 * every echo is checked for content, type and order. Counting starts and stops at moments the
 * main thread sets (a volatile flag each connection reads on every echo); the counts and
 * histograms are read once every connection's {@code onClose} has run.
 */
@SpringBootApplication
public class ClientLoadGen {

	final Map<String, String> opts;

	final WebSocketConnector connector;

	final URI uri;

	ClientLoadGen(Map<String, String> opts, WebSocketConnector connector) throws Exception {
		this.opts = opts;
		this.connector = connector;
		this.uri = new URI(opt("url", "ws://127.0.0.1:8080/echo"));
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
		// Reactor Netty's global loops, which the connector's transport runs on: as many as the
		// Netty load generator's (Reactor Netty's default is at least 4, on any number of CPUs)
		System.setProperty("reactor.netty.ioWorkerCount", String.valueOf(threads));
		SpringApplication application = new SpringApplication(ClientLoadGen.class);
		Map<String, Object> defaults = new HashMap<>();
		defaults.put("autobahn.websocket.client.transport", opts.getOrDefault("transport", "reactor-netty"));
		application.setDefaultProperties(defaults);
		int status = 0;
		try (ConfigurableApplicationContext context = application.run()) {
			WebSocketConnector connector = context.getBean(WebSocketConnector.class);
			if ("serve".equals(opts.getOrDefault("mode", "echo"))) {
				serve(opts, connector);
			}
			else {
				new ClientLoadGen(opts, connector).echoAll();
			}
		}
		catch (Exception ex) {
			ex.printStackTrace();
			status = 1;
		}
		System.out.flush();
		System.exit(status);
	}

	/** {@code --mode serve}: one run per line on stdin, each followed by {@code {"mode":"done"}}. */
	static void serve(Map<String, String> defaults, WebSocketConnector connector) throws Exception {
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			if (line.isBlank()) {
				continue;
			}
			Map<String, String> opts = new HashMap<>(defaults);
			opts.putAll(parse(line.trim().split("\\s+")));
			try {
				new ClientLoadGen(opts, connector).echoAll();
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
		return String.valueOf(value).replace("\\", "/").replace("\"", "'").replaceAll("[\\r\\n\\t]", " ");
	}

	/** One echo scenario: N connections, W messages in flight on each, payload size and type. */
	record Scenario(String name, int conns, int window, int size, boolean binary) {

		static Scenario parse(String spec) {
			String[] f = spec.split(":");
			return new Scenario(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
					"binary".equals(f[4]));
		}

	}

	/** Runs the scenarios, each printed as it ends; a pre-warm as the Netty load generator's. */
	void echoAll() throws Exception {
		List<Scenario> scenarios = new ArrayList<>();
		String specs = opt("scenarios", null);
		if (specs != null) {
			for (String spec : specs.trim().split("[\\s,]+")) {
				scenarios.add(Scenario.parse(spec));
			}
		}
		else {
			scenarios.add(new Scenario("echo", Integer.parseInt(opt("conns", "1")), Integer.parseInt(opt("window", "1")),
					Integer.parseInt(opt("size", "64")), "binary".equals(opt("type", "text"))));
		}
		double warmup = Double.parseDouble(opt("warmup", "5"));
		double duration = Double.parseDouble(opt("duration", "10"));
		double prewarm = Double.parseDouble(opt("prewarm", "0"));
		double prewarmEach = 0;
		if (prewarm > 0) {
			List<Scenario> once = scenarios.stream()
				.map((s) -> new Scenario("prewarm", s.conns(), s.window(), s.size(), s.binary()))
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
				json = warming ? echo(scenario, 0, prewarmEach) : echo(scenario, warmup, duration);
			}
			catch (Exception ex) {
				json = "{\"mode\":\"echo\",\"scenario\":\"" + scenario.name() + "\",\"errors\":1,\"first_error\":\""
						+ jsonSafe(ex) + "\"}";
			}
			System.out.println(json);
			System.out.flush();
		}
	}

	WebSocketClientOptions options(Scenario scenario, int window) {
		long message = Math.max(65536, 2L * scenario.size());
		return this.connector.getDefaultOptions()
			.toBuilder()
			.perMessageDeflate(false)
			// as the Netty load generator's: 64 handshakes at once on a loaded CPU may take a while
			.openHandshakeTimeout(Duration.ofSeconds(30))
			.maxMessagePayloadSize(message)
			// a full window and its frame headers fit (the default 1 MB does not at 1 MiB, W=2)
			.sendBufferSizeLimit(Math.max(1024L * 1024, 2L * window * (scenario.size() + 16)))
			.build();
	}

	String echo(Scenario scenario, double warmup, double duration) throws Exception {
		int n = scenario.conns();
		if (scenario.size() < EchoClient.PREFIX) {
			throw new IllegalArgumentException("size must be at least " + EchoClient.PREFIX);
		}
		Run run = new Run(scenario);
		WebSocketClientOptions options = options(scenario, scenario.window());
		List<CompletableFuture<EchoClient>> connects = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			connects.add(this.connector.connect(this.uri, options, () -> new EchoClient(run)));
		}
		List<EchoClient> conns = new ArrayList<>();
		String connectError = null;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		for (CompletableFuture<EchoClient> connect : connects) {
			try {
				conns.add(connect.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
			}
			catch (Exception ex) {
				connect.cancel(false);
				if (connectError == null) {
					connectError = String.valueOf((ex.getCause() != null) ? ex.getCause() : ex);
				}
			}
		}
		if (conns.size() < n) {
			closeAll(run, conns);
			throw new IllegalStateException("only " + conns.size() + " of " + n + " connections opened: " + connectError);
		}
		run.sending = true;
		for (EchoClient c : conns) {
			c.start();
		}
		sleep(warmup);
		// the connections count while this flag is set: the window is from setting it to clearing it
		long cpuStart = processCpuNanos();
		long serverStart = serverCpuTicks();
		long start = System.nanoTime();
		run.measuring = true;
		sleep(duration);
		run.measuring = false;
		run.sending = false;
		long end = System.nanoTime();
		long cpuEnd = processCpuNanos();
		long serverEnd = serverCpuTicks();
		// drain the echoes still in flight, then close cleanly
		long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < drainDeadline && count(conns, (c) -> c.inFlight() > 0 ? 1 : 0) > 0) {
			Thread.sleep(20);
		}
		long notDrained = count(conns, (c) -> c.inFlight() > 0 ? 1 : 0);
		boolean allClosed = closeAll(run, conns);
		// after onClose (the latch): each connection's counters and histogram as its hooks left them
		Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
		for (EchoClient c : conns) {
			h.add(c.histogram);
		}
		long count = count(conns, (c) -> c.msgs);
		long bytes = count(conns, (c) -> c.bytes);
		double secs = (end - start) / 1e9;
		double clientCpu = (cpuEnd - cpuStart) / 1e9;
		double clkTck = Double.parseDouble(opt("clk-tck", "100"));
		double serverCpu = (serverStart < 0 || serverEnd < 0) ? -1 : (serverEnd - serverStart) / clkTck;
		String err = null;
		for (EchoClient c : conns) {
			if (c.firstError != null) {
				err = c.firstError;
				break;
			}
		}
		if (err == null && !allClosed) {
			err = "not every connection closed within 5 s";
		}
		StringBuilder json = new StringBuilder("{\"mode\":\"echo\"");
		field(json, "scenario", "\"" + scenario.name() + "\"");
		field(json, "url", "\"" + this.uri + "\"");
		field(json, "client", "\"starter-" + opt("transport", "reactor-netty") + "\"");
		field(json, "conns", n);
		field(json, "window", scenario.window());
		field(json, "size", scenario.size());
		field(json, "type", "\"" + (scenario.binary() ? "binary" : "text") + "\"");
		field(json, "duration_s", fmt(secs));
		field(json, "msgs", count);
		field(json, "msgs_per_s", fmt(count / secs));
		field(json, "mb_per_s", fmt(bytes / secs / 1e6));
		field(json, "p50_us", fmt(h.getValueAtPercentile(50) / 1e3));
		field(json, "p99_us", fmt(h.getValueAtPercentile(99) / 1e3));
		field(json, "p999_us", fmt(h.getValueAtPercentile(99.9) / 1e3));
		field(json, "max_us", fmt(h.getMaxValue() / 1e3));
		field(json, "mismatches", count(conns, (c) -> c.mismatches));
		field(json, "unexpected_closes", count(conns, (c) -> c.unexpectedCloses));
		field(json, "errors", count(conns, (c) -> c.errors) + notDrained + (allClosed ? 0 : 1));
		field(json, "client_cpu_pct", fmt(100 * clientCpu / secs));
		field(json, "client_cpu_us_per_msg", (count == 0) ? "null" : fmt(clientCpu * 1e6 / count));
		field(json, "server_cpu_pct", serverCpu < 0 ? "null" : fmt(100 * serverCpu / secs));
		field(json, "server_cpu_us_per_msg", (serverCpu < 0 || count == 0) ? "null" : fmt(serverCpu * 1e6 / count));
		field(json, "client_threads", Integer.parseInt(opt("threads", "1")));
		field(json, "first_error", err == null ? "null" : "\"" + jsonSafe(err) + "\"");
		return json.append('}').toString();
	}

	/** Closes every connection with 1000 and waits up to 5 s for their {@code onClose}. */
	static boolean closeAll(Run run, List<EchoClient> conns) throws InterruptedException {
		for (EchoClient c : conns) {
			c.closing = true;
			try {
				c.sendClose(1000, null);
			}
			catch (RuntimeException ex) {
				// already closed: its onClose has run or is about to
			}
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		boolean all = true;
		for (EchoClient c : conns) {
			if (!c.closed.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
				all = false;
				c.dropConnection();
			}
		}
		return all;
	}

	static long count(List<EchoClient> conns, ToLongFunction<EchoClient> value) {
		long total = 0;
		for (EchoClient c : conns) {
			total += value.applyAsLong(c);
		}
		return total;
	}

	long serverCpuTicks() {
		String pid = opt("server-pid", null);
		if (pid == null) {
			return -1;
		}
		try {
			String stat = Files.readString(Path.of("/proc", pid, "stat"));
			String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// fields after the command: state(0) ... utime(11) stime(12)
			return Long.parseLong(f[11]) + Long.parseLong(f[12]);
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

	/**
	 * One scenario's parameters and the main thread's flags, shared by its connections: the
	 * parameters are set before the connections open and only read afterwards.
	 */
	static final class Run {

		final int window;

		final int size;

		final boolean binary;

		final byte[] template;

		volatile boolean sending;

		volatile boolean measuring;

		Run(Scenario scenario) {
			this.window = scenario.window();
			this.size = scenario.size();
			this.binary = scenario.binary();
			this.template = new byte[this.size];
			for (int i = 0; i < this.template.length; i++) {
				this.template[i] = this.binary ? (byte) (i * 31 + 7) : (byte) ('a' + i % 26);
			}
		}

	}

}
