package io.autobahn.spring.websocket.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Collects the results of the {@link Conformance @Conformance} cases of a test run and,
 * when the run ends, writes them to {@code target/conformance/<stack>.json} (one file per
 * server stack, as the module's {@link StackProfile} names it) and prints a one-line
 * total per stack, so that a regression shows up as a case whose result changed. A case
 * passes, fails, or is not applicable (aborted or disabled, with the reason why the stack
 * cannot meet it: {@code Assumptions.abort(reason)} where the stack profile says so; no
 * case is today); {@link #observe(String)} adds what the server was seen doing, such as
 * {@code "close 1002"} or {@code "dropped"}.
 */
public final class ConformanceReport implements TestWatcher {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(ConformanceReport.class);

	private static final ThreadLocal<@Nullable String> observed = new ThreadLocal<>();

	/**
	 * Note what the server did in the running case (the last note wins).
	 * @param what a short description such as {@code "close 1002"}
	 */
	public static void observe(String what) {
		observed.set(what);
	}

	@Override
	public void testSuccessful(ExtensionContext context) {
		record(context, "passed", null);
	}

	@Override
	public void testFailed(ExtensionContext context, @Nullable Throwable cause) {
		record(context, "failed", (cause != null) ? String.valueOf(cause.getMessage()) : null);
	}

	@Override
	public void testAborted(ExtensionContext context, @Nullable Throwable cause) {
		record(context, "not applicable", (cause != null) ? cause.getMessage() : null);
	}

	@Override
	public void testDisabled(ExtensionContext context, Optional<String> reason) {
		record(context, "not applicable", reason.orElse(null));
	}

	private void record(ExtensionContext context, String result, @Nullable String detail) {
		String section = context.getRequiredTestMethod().getAnnotation(Conformance.class).value();
		String test = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
		String invocation = context.getDisplayName();
		String seen = observed.get();
		observed.remove();
		Case entry = new Case(test, invocation, section, result, detail, seen);
		Cases cases = context.getRoot()
			.getStore(NAMESPACE)
			.computeIfAbsent(Cases.class, (key) -> new Cases(), Cases.class);
		cases.add(StackProfile.current().name(), entry);
	}

	/** One case's result. */
	record Case(String test, String invocation, String section, String result, @Nullable String detail,
			@Nullable String observed) {

		String toJson() {
			return "{\"test\":" + json(this.test) + ",\"invocation\":" + json(this.invocation) + ",\"section\":"
					+ json(this.section) + ",\"result\":" + json(this.result) + ",\"observed\":" + json(this.observed)
					+ ",\"detail\":" + json(this.detail) + "}";
		}

	}

	/** The cases of the run by stack; written when JUnit closes the root store. */
	static final class Cases implements AutoCloseable {

		private final Map<String, List<Case>> byStack = new TreeMap<>();

		synchronized void add(String stack, Case result) {
			this.byStack.computeIfAbsent(stack, (key) -> new ArrayList<>()).add(result);
		}

		@Override
		public synchronized void close() {
			this.byStack.forEach(this::write);
		}

		private void write(String stack, List<Case> cases) {
			Map<String, Long> totals = new TreeMap<>();
			cases.forEach((c) -> totals.merge(c.result(), 1L, Long::sum));
			Path file = Path.of("target", "conformance", stack.toLowerCase(Locale.ROOT) + ".json");
			StringBuilder json = new StringBuilder("{\"stack\":").append(json(stack))
				.append(",\"finished\":")
				.append(json(Instant.now().toString()))
				.append(",\"total\":")
				.append(cases.size());
			totals.forEach((result,
					count) -> json.append(",").append(json(result.replace(' ', '_'))).append(":").append(count));
			json.append(",\"cases\":[\n");
			for (int i = 0; i < cases.size(); i++) {
				json.append(cases.get(i).toJson()).append((i < cases.size() - 1) ? ",\n" : "\n");
			}
			json.append("]}\n");
			try {
				Files.createDirectories(file.getParent());
				Files.writeString(file, json, StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			System.out.printf("Conformance on %s: %d cases, %d passed, %d failed, %d not applicable -> %s%n", stack,
					cases.size(), totals.getOrDefault("passed", 0L), totals.getOrDefault("failed", 0L),
					totals.getOrDefault("not applicable", 0L), file.toAbsolutePath());
		}

	}

	static String json(@Nullable String value) {
		if (value == null) {
			return "null";
		}
		StringBuilder out = new StringBuilder("\"");
		for (char c : value.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"').toString();
	}

}
