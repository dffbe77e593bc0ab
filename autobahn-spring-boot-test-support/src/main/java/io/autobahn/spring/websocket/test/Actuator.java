package io.autobahn.spring.websocket.test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

/**
 * An application's Actuator over HTTP on 127.0.0.1, as a user reads it: its endpoints as
 * JSON, and a meter's value from {@code /actuator/metrics}. The application must expose
 * the endpoints a test reads ({@code management.endpoints.web.exposure.include}).
 */
public final class Actuator {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private final int port;

	public Actuator(int port) {
		this.port = port;
	}

	/**
	 * GET an Actuator path and parse the JSON.
	 * @param path the path below {@code /actuator}, such as {@code /websocket}
	 * @return the JSON
	 * @throws AssertionError if the status is not 200
	 */
	public DocumentContext get(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET());
		if (response.statusCode() != 200) {
			throw new AssertionError(
					"GET /actuator" + path + " answered " + response.statusCode() + ": " + response.body());
		}
		return JsonPath.parse(response.body());
	}

	/**
	 * GET an Actuator path.
	 * @param path the path below {@code /actuator}
	 * @return the status
	 */
	public int status(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path)).GET()).statusCode();
	}

	/**
	 * POST a JSON body to an Actuator path.
	 * @param path the path below {@code /actuator}
	 * @param json the body
	 * @return the response
	 */
	public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	/**
	 * Read a meter's first measurement (a counter's count, a gauge's value, a timer's
	 * count) from {@code /actuator/metrics}, summed over the meters the tags select.
	 * @param name the meter's name
	 * @param tags {@code key:value} pairs
	 * @return the value, or 0 when no meter has that name and those tags yet
	 */
	public double metric(String name, String... tags) throws IOException, InterruptedException {
		StringBuilder path = new StringBuilder("/metrics/").append(name);
		for (int i = 0; i < tags.length; i++) {
			path.append((i == 0) ? '?' : '&').append("tag=").append(URLEncoder.encode(tags[i], StandardCharsets.UTF_8));
		}
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path.toString())).GET());
		if (response.statusCode() == 404) {
			return 0;
		}
		if (response.statusCode() != 200) {
			throw new AssertionError("GET /actuator" + path + " answered " + response.statusCode());
		}
		return ((Number) JsonPath.parse(response.body()).read("$.measurements[0].value")).doubleValue();
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + "/actuator" + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
	}

}
