package io.autobahn.spring.websocket.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the interop peers of {@code autobahn-spring-boot-test-support/src/main/node}
 * (Node's {@code ws} client, headless Chromium through {@code playwright-core}) with
 * {@code node} and returns the JSON line they print. The directory is found from the
 * working directory upwards, so that every stack module, whose tests run in their own
 * module directory, finds it. Missing {@code node}, a missing module in
 * {@code node_modules} or a missing browser fail the test with an install hint: the tests
 * that use them run with the {@code interop} profile, which requires these peers
 * ({@code .ci/run} installs them, and Maven runs {@code npm ci} for the pinned modules).
 */
public final class NodePeers {

	public static final String NODE_DIR = "autobahn-spring-boot-test-support/src/main/node";

	/**
	 * Where the browser tests expect Debian's Chromium, which the Node scripts launch.
	 */
	public static final String CHROMIUM = "/usr/bin/chromium";

	private static final String NPM_HINT = "the interop profile installs them (mvn -B -ntp verify -Pinterop runs "
			+ "`npm ci --prefix " + NODE_DIR + "` when npm is on the PATH); without it, run that npm ci from the "
			+ "project root";

	private NodePeers() {
	}

	/** The directory with the scripts and their {@code node_modules}. */
	public static Path directory() {
		Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
		for (Path dir = start; dir != null; dir = dir.getParent()) {
			Path candidate = dir.resolve(NODE_DIR);
			if (Files.isRegularFile(candidate.resolve("package.json"))) {
				return candidate;
			}
		}
		return fail("No " + NODE_DIR + "/package.json in " + start + " or any parent directory");
	}

	/**
	 * Fail unless {@code node} runs and the given modules are installed.
	 * @param modules module names under {@code node_modules}
	 */
	public static void assertInstalled(String... modules) throws Exception {
		String nodeHint = "Node.js is required for the interop tests: install Debian's nodejs and npm "
				+ "(apt-get install -y nodejs npm), then " + NPM_HINT;
		Process check;
		try {
			check = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			fail("`node` not found on the PATH (" + ex.getMessage() + "). " + nodeHint);
			return;
		}
		if (!check.waitFor(20, TimeUnit.SECONDS)) {
			check.destroyForcibly();
			fail("`node --version` did not finish in 20 s");
		}
		if (check.exitValue() != 0) {
			fail("`node --version` exited with " + check.exitValue() + ". " + nodeHint);
		}
		Path dir = directory();
		for (String module : modules) {
			if (!Files.isRegularFile(dir.resolve("node_modules").resolve(module).resolve("package.json"))) {
				fail("The npm module '" + module + "' is not installed in " + dir.resolve("node_modules") + ": "
						+ NPM_HINT);
			}
		}
	}

	/**
	 * Fail unless {@code node} runs, {@code playwright-core} is installed and Debian's
	 * Chromium is at {@value #CHROMIUM}, naming the command that installs what is
	 * missing.
	 */
	public static void assertChromium() throws Exception {
		assertInstalled("playwright-core");
		if (!Files.isExecutable(Path.of(CHROMIUM))) {
			fail(CHROMIUM + " not found: the browser tests need Debian's chromium "
					+ "(apt-get install -y --no-install-recommends chromium; CI installs it)");
		}
	}

	/**
	 * Run {@code node <script> <args>} in the node directory and return its last stdout
	 * line as JSON. Fails if it does not finish within the timeout or prints nothing.
	 */
	public static DocumentContext run(Path tempDir, Duration timeout, String script, String... args) throws Exception {
		Path dir = directory();
		List<String> command = new ArrayList<>(List.of("node", dir.resolve(script).toString()));
		command.addAll(List.of(args));
		Path stdout = tempDir.resolve(script + ".stdout.txt");
		Path stderr = tempDir.resolve(script + ".stderr.txt");
		Process process = new ProcessBuilder(command).directory(dir.toFile())
			.redirectOutput(stdout.toFile())
			.redirectError(stderr.toFile())
			.start();
		if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			fail(script + " did not finish in " + timeout + output(stdout, stderr));
		}
		List<String> lines = new ArrayList<>(Files.readAllLines(stdout, StandardCharsets.UTF_8));
		lines.removeIf(String::isBlank);
		if (lines.isEmpty()) {
			fail(script + " exited with " + process.exitValue() + " and printed nothing" + output(stdout, stderr));
		}
		String json = lines.get(lines.size() - 1);
		System.out.println(script + " saw: " + json);
		if (process.exitValue() != 0) {
			fail(script + " exited with " + process.exitValue() + output(stdout, stderr));
		}
		return JsonPath.parse(json);
	}

	private static String output(Path stdout, Path stderr) throws IOException {
		return "\n--- stdout ---\n" + Files.readString(stdout) + "\n--- stderr ---\n" + Files.readString(stderr);
	}

}
