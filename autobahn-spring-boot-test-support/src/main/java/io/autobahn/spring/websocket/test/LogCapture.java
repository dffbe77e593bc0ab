package io.autobahn.spring.websocket.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Captures every event that reaches Logback's root logger while it is open (from any
 * thread, at the levels the application's configuration lets through, as a user's console
 * would show them), for tests that assert what a request made the server log: no ERROR,
 * no stack trace, and how many bytes. Open it right before the request and close it
 * after. Thread-safe.
 */
public final class LogCapture implements AutoCloseable {

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	private LogCapture() {
		this.appender.setName("log-capture");
		this.appender.setContext(this.root.getLoggerContext());
		this.appender.start();
		this.root.addAppender(this.appender);
	}

	/**
	 * Start capturing.
	 * @return the capture; close it to stop
	 */
	public static LogCapture start() {
		return new LogCapture();
	}

	/**
	 * Return the events captured so far.
	 * @return a copy of the events, in order
	 */
	public List<ILoggingEvent> events() {
		synchronized (this.appender) {
			return List.copyOf(this.appender.list);
		}
	}

	/**
	 * Return the events captured so far as a console would show them: one line per event
	 * ({@code LEVEL logger - message}) followed by its stack trace, if any.
	 * @return the text
	 */
	public String text() {
		return events().stream().map(LogCapture::format).collect(Collectors.joining());
	}

	/**
	 * Return the size of {@link #text()} in UTF-8 bytes.
	 * @return the bytes logged so far
	 */
	public int bytes() {
		return text().getBytes(StandardCharsets.UTF_8).length;
	}

	/**
	 * Return whether an event at ERROR, or one with a stack trace, was captured.
	 * @return whether such an event was logged
	 */
	public boolean hasErrorOrStackTrace() {
		return events().stream()
			.anyMatch((event) -> event.getLevel().isGreaterOrEqual(Level.ERROR) || event.getThrowableProxy() != null);
	}

	/**
	 * Wait until no event has arrived for the given quiet period (a server may log after
	 * it answered), at most for the given time.
	 * @param quiet how long no event must arrive
	 * @param atMost the longest to wait
	 */
	public void awaitQuiet(Duration quiet, Duration atMost) throws InterruptedException {
		long deadline = System.nanoTime() + atMost.toNanos();
		int seen = -1;
		while (System.nanoTime() < deadline) {
			int now = events().size();
			if (now == seen) {
				return;
			}
			seen = now;
			Thread.sleep(quiet.toMillis());
		}
	}

	@Override
	public void close() {
		this.root.detachAppender(this.appender);
		this.appender.stop();
	}

	private static String format(ILoggingEvent event) {
		StringBuilder line = new StringBuilder().append(event.getLevel())
			.append(' ')
			.append(event.getLoggerName())
			.append(" - ")
			.append(event.getFormattedMessage())
			.append('\n');
		if (event.getThrowableProxy() != null) {
			line.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
		}
		return line.toString();
	}

}
