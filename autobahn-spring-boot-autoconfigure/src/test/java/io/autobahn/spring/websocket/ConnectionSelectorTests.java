package io.autobahn.spring.websocket;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@link ConnectionSelector}: which connections it selects by their attributes, and its
 * value semantics.
 */
class ConnectionSelectorTests {

	@Test
	void allSelectsEveryConnection() {
		assertThat(ConnectionSelector.all().test(connection(Map.of()))).isTrue();
		assertThat(ConnectionSelector.all().getAttributes()).isEmpty();
	}

	@Test
	void anAttributeSelectsTheConnectionsWhoseValueHasThatStringForm() {
		ConnectionSelector kitchen = ConnectionSelector.attribute("room", "kitchen");
		assertThat(kitchen.test(connection(Map.of("room", "kitchen")))).isTrue();
		assertThat(kitchen.test(connection(Map.of("room", "hall")))).isFalse();
		assertThat(kitchen.test(connection(Map.of()))).isFalse();
		assertThat(ConnectionSelector.attribute("user", "42").test(connection(Map.of("user", 42L)))).isTrue();
	}

	@Test
	void andSelectsWhatBothSelect() {
		ConnectionSelector both = ConnectionSelector.attribute("room", "kitchen")
			.and(ConnectionSelector.attribute("role", "cook"));
		assertThat(both.test(connection(Map.of("room", "kitchen", "role", "cook")))).isTrue();
		assertThat(both.test(connection(Map.of("room", "kitchen", "role", "guest")))).isFalse();
		assertThat(both.getAttributes()).containsExactly(new ConnectionSelector.Attribute("room", "kitchen"),
				new ConnectionSelector.Attribute("role", "cook"));
		assertThat(both.and(ConnectionSelector.all())).isSameAs(both);
		assertThat(ConnectionSelector.all().and(both)).isSameAs(both);
	}

	@Test
	void selectorsWithTheSameConditionsAreEqual() {
		assertThat(ConnectionSelector.attribute("a", "b")).isEqualTo(ConnectionSelector.attribute("a", "b"))
			.hasSameHashCodeAs(ConnectionSelector.attribute("a", "b"))
			.isNotEqualTo(ConnectionSelector.attribute("a", "c"));
		assertThat(ConnectionSelector.of(ConnectionSelector.attribute("a", "b").getAttributes()))
			.isEqualTo(ConnectionSelector.attribute("a", "b"));
		assertThat(ConnectionSelector.of(List.of())).isSameAs(ConnectionSelector.all());
		assertThat(ConnectionSelector.attribute("a", "b")).hasToString("ConnectionSelector[a=b]");
	}

	private static WebSocketConnection connection(Map<String, Object> attributes) {
		WebSocketConnection connection = mock(WebSocketConnection.class);
		given(connection.getAttributes()).willReturn(new ConcurrentHashMap<>(attributes));
		return connection;
	}

}
