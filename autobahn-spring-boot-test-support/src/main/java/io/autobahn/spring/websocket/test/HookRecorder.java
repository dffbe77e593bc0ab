package io.autobahn.spring.websocket.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A singleton bean test endpoints report their hook calls to, so that tests can assert
 * what the server side saw, in order.
 */
public class HookRecorder {

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	private final List<Event> all = new ArrayList<>();

	private final List<Event> history = Collections.synchronizedList(new ArrayList<>());

	public void record(String hook, Object... details) {
		add(new Event(hook, Collections.unmodifiableList(Arrays.asList(details)), Thread.currentThread().getName()));
	}

	/**
	 * Like {@link #record(String, Object...)}, but the details may contain {@code null}
	 * (such as the code and reason of {@code onClose} after an empty close frame).
	 */
	public void recordNullable(String hook, Object... details) {
		add(new Event(hook, java.util.Collections.unmodifiableList(java.util.Arrays.asList(details.clone())),
				Thread.currentThread().getName()));
	}

	private void add(Event event) {
		this.history.add(event);
		this.events.add(event);
	}

	/** Every event since the last {@link #clear()}, awaited or not, in order. */
	public List<Event> history() {
		synchronized (this.history) {
			return new ArrayList<>(this.history);
		}
	}

	/** Wait for the next event matching the predicate, skipping (and keeping) others. */
	public Event await(Predicate<Event> match, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.all) {
			for (Event event : this.all) {
				if (match.test(event)) {
					this.all.remove(event);
					return event;
				}
			}
			for (;;) {
				long left = deadline - System.nanoTime();
				Event event = (left > 0) ? this.events.poll(left, TimeUnit.NANOSECONDS) : null;
				if (event == null) {
					ThreadDump.print("No matching hook event within " + timeout);
					throw new AssertionError("No matching hook event within " + timeout + "; seen: " + this.all);
				}
				if (match.test(event)) {
					return event;
				}
				this.all.add(event);
			}
		}
	}

	public Event await(String hook, Duration timeout) throws InterruptedException {
		return await((event) -> event.hook().equals(hook), timeout);
	}

	/** Every event so far that nobody awaited, then drained. */
	public List<Event> drain() {
		synchronized (this.all) {
			List<Event> result = new ArrayList<>(this.all);
			this.all.clear();
			this.events.drainTo(result);
			return result;
		}
	}

	public void clear() {
		drain();
		this.history.clear();
	}

	public record Event(String hook, List<Object> details, String thread) {

		public Object detail(int index) {
			return this.details.get(index);
		}

	}

}
