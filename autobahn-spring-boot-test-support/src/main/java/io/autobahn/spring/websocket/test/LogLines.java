package io.autobahn.spring.websocket.test;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Finds lines in captured log output, for tests that assert what the starter logged.
 */
public final class LogLines {

	private LogLines() {
	}

	/**
	 * Return the first line of the log that contains every one of the fragments, such as
	 * {@code " ERROR "} and the endpoint's name.
	 * @param log the captured output
	 * @param fragments the texts the line must contain
	 * @return the line, or {@code null} if there is none
	 */
	public static @Nullable String first(String log, String... fragments) {
		return log.lines().filter((line) -> Arrays.stream(fragments).allMatch(line::contains)).findFirst().orElse(null);
	}

	/**
	 * Return how many lines of the log contain every one of the fragments.
	 * @param log the captured output
	 * @param fragments the texts a line must contain
	 * @return the number of such lines
	 */
	public static long count(String log, String... fragments) {
		return log.lines().filter((line) -> Arrays.stream(fragments).allMatch(line::contains)).count();
	}

}
