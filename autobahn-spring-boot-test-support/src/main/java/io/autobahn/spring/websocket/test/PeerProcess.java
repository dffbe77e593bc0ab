package io.autobahn.spring.websocket.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

import static org.assertj.core.api.Assertions.fail;

/**
 * A third-party peer that runs while the test talks to it, such as an interop server: its
 * standard output is read line by line as it comes (each line a JSON object), its
 * standard error goes to a file shown when the test fails. Closing it kills the process
 * and its children.
 */
public final class PeerProcess implements AutoCloseable {

	private static final String END = "\u0000end";

	private final String name;

	private final Process process;

	private final Path stderr;

	private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

	private PeerProcess(String name, Process process, Path stderr) {
		this.name = name;
		this.process = process;
		this.stderr = stderr;
		Thread reader = new Thread(this::read, name + "-stdout");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Start a peer.
	 * @param tempDir where its standard error goes
	 * @param directory its working directory
	 * @param command the command and its arguments
	 * @return the running peer
	 */
	public static PeerProcess start(Path tempDir, Path directory, List<String> command) throws IOException {
		String name = Path.of(command.get(command.size() > 1 ? 1 : 0)).getFileName().toString();
		Path stderr = tempDir.resolve(name + ".stderr.txt");
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectError(stderr.toFile())
			.start();
		return new PeerProcess(name, process, stderr);
	}

	private void read() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (!line.isBlank()) {
					System.out.println(this.name + ": " + line);
					this.lines.add(line);
				}
			}
		}
		catch (IOException ex) {
			// The process was killed.
		}
		finally {
			this.lines.add(END);
		}
	}

	/**
	 * Wait for the next line the peer prints.
	 * @param timeout the longest wait
	 * @return the line, as JSON
	 */
	public DocumentContext nextLine(Duration timeout) throws Exception {
		String line = this.lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		if (line == null || line.equals(END)) {
			fail(this.name + ((line == null) ? " printed nothing within " + timeout : " ended") + "; stderr:\n"
					+ Files.readString(this.stderr));
		}
		return JsonPath.parse(line);
	}

	@Override
	public void close() throws InterruptedException {
		this.process.descendants().forEach(ProcessHandle::destroyForcibly);
		this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
	}

}
