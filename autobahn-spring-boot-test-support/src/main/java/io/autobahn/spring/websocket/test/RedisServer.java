package io.autobahn.spring.websocket.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} process (Debian's package) on a free loopback port, with
 * nothing persisted ({@code --save '' --appendonly no}) and a temporary directory of its
 * own, for the cluster tests: started, killed and started again on the same port, stopped
 * and its directory removed on {@link #close()}. When {@code redis-server} is not
 * installed, {@link #start()} fails with the command that installs it: the tests that
 * need it fail, never skip.
 * <p>
 * Not thread-safe: one test drives it.
 */
public final class RedisServer implements AutoCloseable {

	/** How to install it, for the failure message. */
	public static final String INSTALL = "apt-get install -y redis-server";

	private static final Duration STARTUP = Duration.ofSeconds(20);

	private final String executable;

	private final int port;

	private final Path directory;

	private Process process;

	private RedisServer(String executable, int port, Path directory) {
		this.executable = executable;
		this.port = port;
		this.directory = directory;
	}

	/**
	 * Start a server on a free port.
	 * @return the running server
	 * @throws IllegalStateException if redis-server is not installed or does not start
	 */
	public static RedisServer start() throws IOException, InterruptedException {
		return start(freePort());
	}

	/**
	 * Start a server on the given port.
	 * @param port the port, where nothing listens
	 * @return the running server
	 * @throws IllegalStateException if redis-server is not installed or does not start
	 */
	public static RedisServer start(int port) throws IOException, InterruptedException {
		RedisServer server = new RedisServer(executable(), port, Files.createTempDirectory("redis-test"));
		server.startAgain();
		return server;
	}

	/**
	 * Return a port where nothing listens now (for an application whose Redis is down).
	 * @return the port
	 */
	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Return the port the server listens on, the same after every restart.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Kill the server at once (SIGKILL), as a crash would.
	 */
	public void kill() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroyForcibly();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
	}

	/**
	 * Start the server again on its port, after {@link #kill()}, and wait until it
	 * answers.
	 */
	public void startAgain() throws IOException, InterruptedException {
		List<String> command = List.of(this.executable, "--port", String.valueOf(this.port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--dir", this.directory.toString());
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("redis.log").toFile()))
			.start();
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (!ping()) {
			if (!this.process.isAlive() || System.nanoTime() > deadline) {
				this.process.destroyForcibly();
				throw new IllegalStateException("redis-server did not start on port " + this.port + ": "
						+ Files.readString(this.directory.resolve("redis.log")));
			}
			Thread.sleep(20);
		}
	}

	private boolean ping() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 1000);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] answer = in.readNBytes(7);
			return new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() throws IOException, InterruptedException {
		kill();
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
	}

	private static String executable() {
		String path = System.getenv("PATH");
		for (String dir : ((path != null) ? path : "").split(File.pathSeparator)) {
			File candidate = new File(dir, "redis-server");
			if (candidate.canExecute()) {
				return candidate.getPath();
			}
		}
		for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
			if (new File(candidate).canExecute()) {
				return candidate;
			}
		}
		throw new IllegalStateException("redis-server is not installed; the cluster tests start a real one. Install it"
				+ " (Debian: " + INSTALL + "; .ci/run does), or run the build without -Pinterop");
	}

}
