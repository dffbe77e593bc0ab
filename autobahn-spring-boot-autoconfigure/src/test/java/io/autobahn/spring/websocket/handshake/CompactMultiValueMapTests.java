package io.autobahn.spring.websocket.handshake;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link CompactMultiValueMap}: it reads like the {@link LinkedMultiValueMap}
 * or {@link HttpHeaders} it copies (order, every value, case-insensitive header names,
 * equality) and cannot be changed.
 */
class CompactMultiValueMapTests {

	@Test
	void keepsNamesInOrderWithEveryValue() {
		MultiValueMap<String, String> map = CompactMultiValueMap.builder(false)
			.add("b", "1")
			.add("a", "2")
			.add("b", "3")
			.build();
		assertThat(map.keySet()).containsExactly("b", "a");
		assertThat(map.get("b")).containsExactly("1", "3");
		assertThat(map.getFirst("b")).isEqualTo("1");
		assertThat(map.get("a")).containsExactly("2");
		assertThat(map.toSingleValueMap()).containsExactly(entry("b", "1"), entry("a", "2"));
	}

	@Test
	void caseSensitiveNamesAreDistinct() {
		MultiValueMap<String, String> map = CompactMultiValueMap.builder(false).add("a", "1").add("A", "2").build();
		assertThat(map).hasSize(2);
		assertThat(map.get("a")).containsExactly("1");
		assertThat(map.get("A")).containsExactly("2");
		assertThat(map.containsKey("b")).isFalse();
		assertThat(map.get("b")).isNull();
		assertThat(map.getFirst("b")).isNull();
	}

	@Test
	void caseInsensitiveNamesMergeUnderTheFirstCaseSeen() {
		MultiValueMap<String, String> map = CompactMultiValueMap.builder(true)
			.add("X-Repeated", "one")
			.add("x-REPEATED", "two")
			.build();
		assertThat(map.keySet()).containsExactly("X-Repeated");
		assertThat(map.get("x-repeated")).containsExactly("one", "two");
		assertThat(map.containsKey("X-REPEATED")).isTrue();
		assertThat(map.getFirst("X-REPEATED")).isEqualTo("one");
	}

	@Test
	void headersCopyReadsLikeTheOriginal() {
		HttpHeaders original = new HttpHeaders();
		original.add("Host", "example.com:8080");
		original.add("X-Repeated", "one");
		original.add("X-Repeated", "two");
		original.add("Origin", "http://example.com");
		HttpHeaders copy = CompactMultiValueMap.copyOf(original);
		assertThat(copy).isEqualTo(original);
		assertThat(copy.hashCode()).isEqualTo(original.hashCode());
		assertThat(copy.toString()).isEqualTo(original.toString());
		assertThat(copy.headerNames()).containsExactly("Host", "X-Repeated", "Origin");
		assertThat(copy.get("x-repeated")).containsExactly("one", "two");
		assertThat(copy.getHost().getHostString()).isEqualTo("example.com");
		assertThat(copy.getOrigin()).isEqualTo("http://example.com");
		assertThat(copy.containsHeader("ORIGIN")).isTrue();
	}

	@Test
	void copyEqualsTheMapItCopies() {
		LinkedMultiValueMap<String, String> original = new LinkedMultiValueMap<>();
		original.add("a", "1");
		original.add("a", "2");
		original.add("b", "");
		MultiValueMap<String, String> copy = CompactMultiValueMap.copyOf(original);
		assertThat(copy).isEqualTo(original);
		assertThat(original).isEqualTo(copy);
		assertThat(copy.hashCode()).isEqualTo(original.hashCode());
		assertThat(copy).containsExactly(entry("a", List.of("1", "2")), entry("b", List.of("")));
	}

	@Test
	void nullValuesAreKept() {
		MultiValueMap<String, String> map = CompactMultiValueMap.builder(false)
			.addAll("a", Arrays.asList((String) null))
			.build();
		assertThat(map.get("a")).containsExactly((String) null);
		assertThat(map.getFirst("a")).isNull();
	}

	@Test
	void emptyCopyIsEmpty() {
		assertThat(CompactMultiValueMap.copyOf(Map.of())).isEmpty();
		assertThat(CompactMultiValueMap.builder(true).build()).isEmpty();
		assertThat(CompactMultiValueMap.copyOf(new HttpHeaders()).isEmpty()).isTrue();
	}

	@Test
	void cannotBeChanged() {
		MultiValueMap<String, String> map = CompactMultiValueMap.builder(false).add("a", "1").add("b", "2").build();
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> map.add("c", "3"));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> map.set("a", "3"));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> map.put("c", List.of("3")));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> map.remove("a"));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(map::clear);
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> map.get("a").add("3"));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> map.get("b").set(0, "3"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> map.entrySet().iterator().next().setValue(List.of()));
		assertThat(map).containsExactly(entry("a", List.of("1")), entry("b", List.of("2")));
	}

	@Test
	void orderedCopyKeepsOrderAndCannotBeChanged() {
		Map<String, String> three = new LinkedHashMap<>();
		three.put("z", "1");
		three.put("a", "");
		three.put("m", "2");
		assertThat(CompactMultiValueMap.orderedCopyOf(three).keySet()).containsExactly("z", "a", "m");
		assertThat(CompactMultiValueMap.orderedCopyOf(three)).isEqualTo(three);
		assertThat(CompactMultiValueMap.orderedCopyOf(Map.of("a", "1"))).isEqualTo(Map.of("a", "1"));
		assertThat(CompactMultiValueMap.orderedCopyOf(Map.of())).isEmpty();
		for (Map<String, String> source : List.of(Map.<String, String>of(), Map.of("a", "1"), three)) {
			assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(() -> CompactMultiValueMap.orderedCopyOf(source).put("b", "2"));
		}
	}

}
