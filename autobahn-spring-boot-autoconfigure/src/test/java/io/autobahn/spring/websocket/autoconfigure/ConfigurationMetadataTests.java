package io.autobahn.spring.websocket.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;

import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.core.EndpointSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata an IDE reads, as the build generates it into this module's
 * classes (or jar): every option of {@link WebSocketOptions} is described at the top
 * level and, from {@code additional-spring-configuration-metadata.json}, for one endpoint
 * under {@code autobahn.websocket.endpoints.*}, with the same type, description and
 * default; so are an endpoint's path, port and SSL bundle, and endpoint names are hinted.
 * Spring Boot's processor does not describe the values of a map, so the endpoint entries
 * are written by hand: this test fails, printing the entries it expects, when one is
 * missing or no longer matches its option.
 */
class ConfigurationMetadataTests {

	private static final String PREFIX = "autobahn.websocket.";

	private static final String ENDPOINT_PREFIX = "autobahn.websocket.endpoints.*.";

	private static final List<String> WHERE_SERVED = List.of("path", "port", "ssl-bundle");

	private static String json;

	private static Map<String, Map<String, Object>> properties;

	@BeforeAll
	static void readGeneratedMetadata() throws Exception {
		// This module's own file: other jars on the class path have one of the same name.
		URL classes = AutobahnWebSocketProperties.class.getProtectionDomain().getCodeSource().getLocation();
		String location = classes.toString().endsWith(".jar") ? "jar:" + classes + "!/" : classes.toString();
		try (InputStream in = new URL(location + "META-INF/spring-configuration-metadata.json").openStream()) {
			json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		List<Map<String, Object>> entries = JsonPath.read(json, "$.properties");
		properties = entries.stream()
			.collect(Collectors.toMap((entry) -> (String) entry.get("name"), (entry) -> entry, (a, b) -> a,
					LinkedHashMap::new));
	}

	@Test
	void everyOptionIsDescribedAtTheTopLevel() {
		assertThat(options()).isNotEmpty()
			.allSatisfy((option) -> assertThat(properties.get(PREFIX + option)).as(PREFIX + option)
				.isNotNull()
				.satisfies((entry) -> assertThat((String) entry.get("description")).isNotBlank()));
	}

	@Test
	void everyOptionIsDescribedForOneEndpointAsAtTheTopLevel() {
		List<Map<String, Object>> expected = options().stream().map(ConfigurationMetadataTests::endpointEntry).toList();
		List<Map<String, Object>> actual = options().stream()
			.map((option) -> properties.get(ENDPOINT_PREFIX + option))
			.toList();
		assertThat(actual)
			.as("the endpoint entries of additional-spring-configuration-metadata.json should be:%n%s",
					toJson(expected))
			.isEqualTo(expected);
	}

	@Test
	void onlyOptionsAndWhereTheEndpointIsServedAreDescribedForOneEndpoint() {
		List<String> expected = Stream.concat(WHERE_SERVED.stream(), options().stream())
			.map((option) -> ENDPOINT_PREFIX + option)
			.toList();
		assertThat(properties.keySet().stream().filter((name) -> name.startsWith(ENDPOINT_PREFIX)))
			.containsExactlyInAnyOrderElementsOf(expected);
	}

	@Test
	void whereAnEndpointIsServedIsDescribed() {
		Map<String, Class<?>> types = Map.of("path", String.class, "port", Integer.class, "ssl-bundle", String.class);
		assertThat(WHERE_SERVED).allSatisfy(
				(key) -> assertThat(properties.get(ENDPOINT_PREFIX + key)).as(key).isNotNull().satisfies((entry) -> {
					assertThat(entry.get("type")).isEqualTo(types.get(key).getName());
					assertThat(entry.get("sourceType")).isEqualTo(AutobahnWebSocketProperties.Endpoint.class.getName());
					assertThat((String) entry.get("description")).isNotBlank();
				}));
	}

	@Test
	void maxMessagePayloadSizeIsADataSizeWithItsDefault() {
		assertThat(properties.get(PREFIX + "max-message-payload-size")).satisfies((entry) -> {
			assertThat(entry.get("type")).isEqualTo("org.springframework.util.unit.DataSize");
			assertThat((String) entry.get("description")).startsWith("Largest incoming message");
			assertThat(entry.get("defaultValue")).isEqualTo("1MB");
		});
	}

	@Test
	void theApplicationsLimitsAreDescribed() {
		assertThat(List.of("max-connections", "inbound-budget", "outbound-budget"))
			.allSatisfy((key) -> assertThat(properties.get(PREFIX + "application." + key)).as(key)
				.isNotNull()
				.satisfies((entry) -> assertThat(entry.get("sourceType"))
					.isEqualTo(AutobahnWebSocketProperties.Application.class.getName())));
		assertThat((String) properties.get(PREFIX + "application.inbound-budget").get("description"))
			.contains("a quarter of the maximum heap");
	}

	@Test
	void openHandshakeTimeoutHasTheDefaultTheEngineApplies() {
		// The field stays null when not set, so its default comes from the hand-written
		// entry.
		assertThat(properties.get(PREFIX + "open-handshake-timeout").get("defaultValue"))
			.isEqualTo(EndpointSettings.DEFAULT_OPEN_HANDSHAKE_TIMEOUT.toSeconds() + "s");
	}

	@Test
	void endpointNamesAreHintedAsTheBeanNamesOfProtocols() {
		List<Map<String, Object>> hints = JsonPath.read(json,
				"$.hints[?(@.name == 'autobahn.websocket.endpoints.keys')].providers[*]");
		assertThat(hints).singleElement().satisfies((provider) -> {
			assertThat(provider.get("name")).isEqualTo("spring-bean-reference");
			assertThat(provider.get("parameters")).isEqualTo(Map.of("target", WebSocketServerProtocol.class.getName()));
		});
	}

	private static List<String> options() {
		List<String> options = new ArrayList<>();
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(WebSocketOptions.class)) {
			if (descriptor.getWriteMethod() != null) {
				options.add(DataObjectPropertyName.toDashedForm(descriptor.getName()));
			}
		}
		return options;
	}

	private static Map<String, Object> endpointEntry(String option) {
		Map<String, Object> topLevel = properties.get(PREFIX + option);
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("name", ENDPOINT_PREFIX + option);
		entry.put("type", topLevel.get("type"));
		entry.put("sourceType", AutobahnWebSocketProperties.Endpoint.class.getName());
		entry.put("description", topLevel.get("description") + " Overrides " + PREFIX + option
				+ " (whose value is the default) for this endpoint.");
		if (topLevel.containsKey("defaultValue")) {
			entry.put("defaultValue", topLevel.get("defaultValue"));
		}
		return entry;
	}

	private static String toJson(List<Map<String, Object>> entries) {
		return entries.stream()
			.map((entry) -> entry.entrySet()
				.stream()
				.map((field) -> "      \"" + field.getKey() + "\": " + toJson(field.getValue()))
				.collect(Collectors.joining(",\n", "    {\n", "\n    }")))
			.collect(Collectors.joining(",\n"));
	}

	private static String toJson(Object value) {
		return (value instanceof String text) ? "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
				: String.valueOf(value);
	}

}
