package io.autobahn.spring.websocket.test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Finds the Autobahn|Python interop peers of {@code src/main/python} (on the test class
 * path as {@code python/}) and the interpreter that runs them: Debian's
 * {@code /usr/bin/python3} with {@code python3-autobahn}. A missing interpreter or module
 * fails the test with the command that installs it: the tests that use them run with the
 * {@code interop} profile.
 */
public final class PythonPeers {

	/** Debian's interpreter: python3-autobahn is importable only from it. */
	public static final String PYTHON = "/usr/bin/python3";

	private PythonPeers() {
	}

	/**
	 * Fail unless {@link #PYTHON} can import Autobahn's Twisted WebSocket module.
	 */
	public static void assertAutobahnInstalled() throws Exception {
		String hint = "Autobahn|Python is required: install Debian's python3-autobahn "
				+ "(apt-get install -y python3-autobahn; CI installs it)";
		if (!Files.isExecutable(Path.of(PYTHON))) {
			fail(PYTHON + " not found. " + hint);
		}
		Process check = new ProcessBuilder(PYTHON, "-c", "import autobahn.twisted.websocket").redirectErrorStream(true)
			.start();
		if (!check.waitFor(20, TimeUnit.SECONDS)) {
			check.destroyForcibly();
			fail(PYTHON + " -c 'import autobahn.twisted.websocket' did not finish in 20 s");
		}
		if (check.exitValue() != 0) {
			fail(PYTHON + " cannot import autobahn.twisted.websocket: "
					+ new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip() + ". " + hint);
		}
	}

	/**
	 * Copy a script of {@code src/main/python} out of the class path, to run it.
	 * @param tempDir where to put it
	 * @param name the script's file name
	 * @return the copy
	 */
	public static Path script(Path tempDir, String name) throws Exception {
		Path script = tempDir.resolve(name);
		try (InputStream source = PythonPeers.class.getResourceAsStream("/python/" + name)) {
			assertThat(source).as("python/" + name + " on the test classpath").isNotNull();
			Files.copy(source, script, StandardCopyOption.REPLACE_EXISTING);
		}
		return script;
	}

}
