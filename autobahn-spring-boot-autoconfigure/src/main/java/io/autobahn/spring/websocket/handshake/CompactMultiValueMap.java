package io.autobahn.spring.websocket.handshake;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * A read-only {@link MultiValueMap} of strings in two arrays, for the parts of a
 * handshake that a {@link io.autobahn.spring.websocket.ConnectionRequest} keeps for the
 * life of its connection (headers, query parameters, cookies). A copy into a
 * {@link LinkedMultiValueMap} or an {@link HttpHeaders} costs a hash table, an entry and
 * a list per name (over a kilobyte for a browser's handshake headers, per connection);
 * this costs a few bytes per name. Lookups scan the names, which suits the handful a
 * handshake has. Names keep their order and, when matched case-insensitively, the case
 * they were first seen in.
 */
public final class CompactMultiValueMap extends AbstractMap<String, List<String>>
		implements MultiValueMap<String, String> {

	private static final CompactMultiValueMap EMPTY = new CompactMultiValueMap(new String[0], new Object[0], false);

	private final String[] names;

	/**
	 * Per name, its only value as a {@code String}, or its values as a {@code String[]}.
	 */
	private final Object[] values;

	private final boolean ignoreCase;

	private CompactMultiValueMap(String[] names, Object[] values, boolean ignoreCase) {
		this.names = names;
		this.values = values;
		this.ignoreCase = ignoreCase;
	}

	/**
	 * Return a read-only copy of the given map, with case-sensitive names.
	 * @param source the map to copy
	 * @return the copy
	 */
	public static MultiValueMap<String, String> copyOf(Map<String, ? extends List<String>> source) {
		Builder builder = new Builder(false);
		source.forEach(builder::addAll);
		return builder.build();
	}

	/**
	 * Return read-only headers with a copy of the given ones, matched case-insensitively.
	 * A name the client sent in two spellings is copied once, with every value: some
	 * containers' headers list each spelling, each with all the values.
	 * @param headers the headers to copy
	 * @return the copy
	 */
	public static HttpHeaders copyOf(HttpHeaders headers) {
		Builder builder = new Builder(true);
		Set<String> copied = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
		headers.forEach((name, values) -> {
			if (copied.add(name)) {
				builder.addAll(name, values);
			}
		});
		return HttpHeaders.readOnlyHttpHeaders(builder.build());
	}

	/**
	 * Return a read-only copy of a map with a value per name, in its order, without a
	 * hash table for the common cases of none or one name.
	 * @param source the map to copy
	 * @return the copy
	 */
	public static Map<String, String> orderedCopyOf(Map<String, String> source) {
		if (source.isEmpty()) {
			return Map.of();
		}
		if (source.size() == 1) {
			Entry<String, String> only = source.entrySet().iterator().next();
			return Collections.singletonMap(only.getKey(), only.getValue());
		}
		return Collections.unmodifiableMap(new LinkedHashMap<>(source));
	}

	/**
	 * Return a builder that adds values one at a time.
	 * @param ignoreCase whether names are matched case-insensitively
	 * @return the builder
	 */
	public static Builder builder(boolean ignoreCase) {
		return new Builder(ignoreCase);
	}

	@Override
	public int size() {
		return this.names.length;
	}

	@Override
	public boolean containsKey(@Nullable Object key) {
		return indexOf(key) >= 0;
	}

	@Override
	public @Nullable List<String> get(@Nullable Object key) {
		int index = indexOf(key);
		return (index >= 0) ? valuesAt(index) : null;
	}

	@Override
	public @Nullable String getFirst(String key) {
		int index = indexOf(key);
		return (index >= 0) ? firstAt(index) : null;
	}

	@Override
	public Set<Entry<String, List<String>>> entrySet() {
		return new AbstractSet<>() {

			@Override
			public Iterator<Entry<String, List<String>>> iterator() {
				return new Iterator<>() {

					private int next;

					@Override
					public boolean hasNext() {
						return this.next < CompactMultiValueMap.this.names.length;
					}

					@Override
					public Entry<String, List<String>> next() {
						if (!hasNext()) {
							throw new NoSuchElementException();
						}
						int index = this.next++;
						return new SimpleImmutableEntry<>(CompactMultiValueMap.this.names[index], valuesAt(index));
					}

				};
			}

			@Override
			public int size() {
				return CompactMultiValueMap.this.names.length;
			}

		};
	}

	@Override
	public void forEach(BiConsumer<? super String, ? super List<String>> action) {
		for (int i = 0; i < this.names.length; i++) {
			action.accept(this.names[i], valuesAt(i));
		}
	}

	@Override
	public void add(String key, @Nullable String value) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void addAll(String key, List<? extends String> values) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void addAll(MultiValueMap<String, String> values) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void set(String key, @Nullable String value) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void setAll(Map<String, String> values) {
		throw new UnsupportedOperationException();
	}

	@Override
	public @Nullable List<String> remove(@Nullable Object key) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void clear() {
		throw new UnsupportedOperationException();
	}

	@Override
	public Map<String, String> toSingleValueMap() {
		Map<String, String> single = new LinkedHashMap<>();
		for (int i = 0; i < this.names.length; i++) {
			single.put(this.names[i], firstAt(i));
		}
		return single;
	}

	private int indexOf(@Nullable Object key) {
		if (key instanceof String name) {
			for (int i = 0; i < this.names.length; i++) {
				if (this.ignoreCase ? this.names[i].equalsIgnoreCase(name) : this.names[i].equals(name)) {
					return i;
				}
			}
		}
		return -1;
	}

	private @Nullable String firstAt(int index) {
		Object value = this.values[index];
		if (value instanceof String[] several) {
			return (several.length > 0) ? several[0] : null;
		}
		return (String) value;
	}

	private List<String> valuesAt(int index) {
		Object value = this.values[index];
		if (value instanceof String[] several) {
			return Collections.unmodifiableList(Arrays.asList(several));
		}
		return Collections.singletonList((String) value);
	}

	/**
	 * Collects names and values, then builds a {@link CompactMultiValueMap} of them.
	 */
	public static final class Builder {

		private final boolean ignoreCase;

		/** Values by name (lower case when names are case-insensitive), in order. */
		private final Map<String, Values> byName = new LinkedHashMap<>();

		private Builder(boolean ignoreCase) {
			this.ignoreCase = ignoreCase;
		}

		/**
		 * Add a value after those the name already has.
		 * @param name the name
		 * @param value the value
		 * @return this builder
		 */
		public Builder add(String name, @Nullable String value) {
			valuesOf(name).list().add(value);
			return this;
		}

		/**
		 * Add values after those the name already has.
		 * @param name the name
		 * @param values the values
		 * @return this builder
		 */
		public Builder addAll(String name, List<? extends @Nullable String> values) {
			valuesOf(name).list().addAll(values);
			return this;
		}

		/**
		 * Return a map of the names and values added so far.
		 * @return the map
		 */
		public MultiValueMap<String, String> build() {
			if (this.byName.isEmpty()) {
				return EMPTY;
			}
			String[] names = new String[this.byName.size()];
			Object[] values = new Object[names.length];
			int i = 0;
			for (Values entry : this.byName.values()) {
				List<@Nullable String> list = entry.list();
				names[i] = entry.name();
				values[i] = (list.size() == 1 && list.get(0) != null) ? list.get(0) : list.toArray(new String[0]);
				i++;
			}
			return new CompactMultiValueMap(names, values, this.ignoreCase);
		}

		private Values valuesOf(String name) {
			String key = this.ignoreCase ? name.toLowerCase(Locale.ROOT) : name;
			return this.byName.computeIfAbsent(key, (unused) -> new Values(name));
		}

		private record Values(String name, List<@Nullable String> list) {

			Values(String name) {
				this(name, new ArrayList<>(1));
			}

		}

	}

}
