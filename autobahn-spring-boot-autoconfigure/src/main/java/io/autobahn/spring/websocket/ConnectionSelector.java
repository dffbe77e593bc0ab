package io.autobahn.spring.websocket;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * A broadcast filter that can travel to the other instances of the application: every
 * connection ({@link #all()}), or the connections whose attributes
 * ({@link WebSocketConnection#getAttributes()}) hold given values
 * ({@link #attribute(String, String)}, combined with {@link #and(ConnectionSelector)}),
 * such as a room or a user. An attribute's value matches when its string form
 * ({@code toString()}) equals the selector's.
 * <p>
 * With several instances linked (for example
 * {@code autobahn.websocket.cluster.redis.enabled}), a broadcast whose filter is a
 * {@code ConnectionSelector} (or that has none) reaches the connections of every
 * instance; a broadcast with any other {@link Predicate} reaches the connections of this
 * instance only, since a predicate's code and the state it reads cannot travel.
 * <p>
 * Immutable and thread-safe.
 */
public final class ConnectionSelector implements Predicate<WebSocketConnection> {

	private static final ConnectionSelector ALL = new ConnectionSelector(List.of());

	private final List<Attribute> attributes;

	private ConnectionSelector(List<Attribute> attributes) {
		this.attributes = attributes;
	}

	/**
	 * Return the selector of every connection.
	 * @return the selector
	 */
	public static ConnectionSelector all() {
		return ALL;
	}

	/**
	 * Return the selector of the connections whose attribute {@code key} has the string
	 * form {@code value}.
	 * @param key the attribute's key
	 * @param value the value it must have
	 * @return the selector
	 */
	public static ConnectionSelector attribute(String key, String value) {
		return new ConnectionSelector(List.of(new Attribute(key, value)));
	}

	/**
	 * Return the selector of the connections that this selector and the other one both
	 * select.
	 * @param other the other selector
	 * @return the selector
	 */
	public ConnectionSelector and(ConnectionSelector other) {
		if (other.attributes.isEmpty()) {
			return this;
		}
		if (this.attributes.isEmpty()) {
			return other;
		}
		List<Attribute> both = new ArrayList<>(this.attributes);
		both.addAll(other.attributes);
		return new ConnectionSelector(Collections.unmodifiableList(both));
	}

	/**
	 * Return the attribute values a connection must all hold to be selected; none for
	 * {@link #all()}.
	 * @return the conditions, in the order they were given
	 */
	public List<Attribute> getAttributes() {
		return this.attributes;
	}

	/**
	 * Create a selector from its conditions, as {@link #getAttributes()} returned them
	 * (for example after they travelled).
	 * @param attributes the conditions; none for every connection
	 * @return the selector
	 */
	public static ConnectionSelector of(List<Attribute> attributes) {
		return attributes.isEmpty() ? ALL : new ConnectionSelector(List.copyOf(attributes));
	}

	@Override
	public boolean test(WebSocketConnection connection) {
		if (this.attributes.isEmpty()) {
			return true;
		}
		for (Attribute attribute : this.attributes) {
			Object value = connection.getAttributes().get(attribute.key());
			if (value == null || !attribute.value().equals(value.toString())) {
				return false;
			}
		}
		return true;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof ConnectionSelector selector) && this.attributes.equals(selector.attributes);
	}

	@Override
	public int hashCode() {
		return this.attributes.hashCode();
	}

	@Override
	public String toString() {
		return this.attributes.isEmpty() ? "ConnectionSelector[all]" : "ConnectionSelector" + this.attributes;
	}

	/**
	 * One condition of a selector: the connection's attribute {@code key} has the string
	 * form {@code value}.
	 *
	 * @param key the attribute's key
	 * @param value the value's string form
	 */
	public record Attribute(String key, String value) {

		public Attribute {
			Objects.requireNonNull(key, "key");
			Objects.requireNonNull(value, "value");
		}

		@Override
		public String toString() {
			return this.key + "=" + this.value;
		}

	}

}
