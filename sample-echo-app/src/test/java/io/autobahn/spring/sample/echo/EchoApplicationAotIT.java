package io.autobahn.spring.sample.echo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample, ahead-of-time processed at build time
 * ({@code spring-boot:process-aot}) and started as a user starts it in AOT mode:
 * {@code java -Dspring.aot.enabled=true -jar}, in a process of its own, on the stack of
 * the build's profile (Tomcat by default, {@code -Pwebflux}, {@code -Pjetty}). Its
 * endpoints are beans from generated code: four scanned {@code @WebSocketEndpoint}
 * classes on the main port and a {@code @Bean}-declared one on a dedicated port.
 * Properties given at run time still bind: the ports, a top-level size limit, the
 * greeting endpoint's own limit in its {@code endpoints.greeting} block, and the greeting
 * text of its {@code @Bean} method. The native-image metadata generated at build time
 * carries the starter's hints.
 * <p>
 * Failsafe runs it after {@code package}; the build gives the jar and the stack's name.
 */
class EchoApplicationAotIT {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

	private static final String GREETING = "Hello from the AOT-processed sample";

	private static final Pattern ENDPOINT_LINE = Pattern
		.compile("WebSocket endpoint '(\\w+)' serving ws://127\\.0\\.0\\.1:(\\d+)(/\\w+) \\(([^)]+)\\)");

	private static final List<String> output = Collections.synchronizedList(new ArrayList<>());

	private static Process application;

	private static int mainPort;

	private static int greetingPort;

	@BeforeAll
	static void startTheAotProcessedApplication() throws Exception {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		application = new ProcessBuilder(java.toString(), "-Dspring.aot.enabled=true", "-XX:TieredStopAtLevel=1",
				"-jar", jar(), "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
				"--autobahn.websocket.endpoints.greeting.port=0", "--autobahn.websocket.max-message-payload-size=1KB",
				"--autobahn.websocket.endpoints.greeting.max-message-payload-size=4KB", "--greeting.text=" + GREETING)
			.redirectErrorStream(true)
			.start();
		CountDownLatch started = new CountDownLatch(1);
		Thread reader = new Thread(() -> read(application.getInputStream(), started), "aot-sample-output");
		reader.setDaemon(true);
		reader.start();
		boolean ready = started.await(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(ready).as("started within %s:%n%s", STARTUP_TIMEOUT, String.join("\n", output)).isTrue();
		assertThat(application.isAlive()).as("running:%n%s", String.join("\n", output)).isTrue();
		mainPort = endpointPort("echoServerProtocol");
		greetingPort = endpointPort("greeting");
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (application != null) {
			application.destroy();
			if (!application.waitFor(30, TimeUnit.SECONDS)) {
				application.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	private static void read(InputStream stream, CountDownLatch started) {
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				output.add(line);
				if (line.contains("Started EchoApplication")) {
					started.countDown();
				}
			}
		}
		catch (IOException ex) {
			output.add("(output unreadable: " + ex + ")");
		}
		// The process ended: no need to wait for a start that cannot come.
		started.countDown();
	}

	@Test
	void startsFromTheGeneratedCodeOnTheBuildsStack() {
		String stack = System.getProperty("sample.stack");
		assertThat(output).anySatisfy((line) -> assertThat(line).contains("Starting AOT-processed EchoApplication"));
		assertThat(endpointLines()).containsExactlyInAnyOrder(
				"echoServerProtocol ws://127.0.0.1:" + mainPort + "/echo (" + stack + ")",
				"myServerProtocol ws://127.0.0.1:" + mainPort + "/hooks (" + stack + ")",
				"chatProtocol ws://127.0.0.1:" + mainPort + "/chat (" + stack + ")",
				"tickerProtocol ws://127.0.0.1:" + mainPort + "/ticker (" + stack + ")",
				"greeting ws://127.0.0.1:" + greetingPort + "/greeting (Reactor Netty, dedicated port)");
	}

	@Test
	void scannedEndpointsEchoOnTheMainPortWithinTheTopLevelSizeLimit() throws Exception {
		Client echo = Client.connect(mainPort, "/echo");
		echo.sendText("héllo ✓");
		assertThat(echo.next()).isEqualTo("text:héllo ✓");
		echo.sendBinary(new byte[] { 0, 1, 2, (byte) 0xff });
		assertThat(echo.next()).isEqualTo("binary:[0, 1, 2, -1]");
		// autobahn.websocket.max-message-payload-size=1KB
		echo.sendText("x".repeat(2000));
		assertThat(echo.next()).isEqualTo("close:1009");
		Client hooks = Client.connect(mainPort, "/hooks");
		hooks.sendText("hello hooks");
		assertThat(hooks.next()).isEqualTo("text:hello hooks");
		hooks.sendClose();
		assertThat(hooks.next()).isEqualTo("close:1000");
	}

	@Test
	void beanMethodEndpointGreetsAndEchoesOnItsDedicatedPortWithItsOwnSizeLimit() throws Exception {
		assertThat(greetingPort).isNotEqualTo(mainPort);
		for (int connection = 0; connection < 2; connection++) {
			Client greeting = Client.connect(greetingPort, "/greeting");
			assertThat(greeting.next()).isEqualTo("text:" + GREETING);
			// endpoints.greeting.max-message-payload-size=4KB overrides the top-level 1KB
			String message = "y".repeat(2000);
			greeting.sendText(message);
			assertThat(greeting.next()).isEqualTo("text:" + message);
			greeting.sendClose();
			assertThat(greeting.next()).isEqualTo("close:1000");
		}
	}

	@Test
	void nativeImageMetadataCarriesTheStartersHints() throws Exception {
		String metadata;
		try (JarFile jar = new JarFile(jar())) {
			ZipEntry entry = jar
				.getEntry("META-INF/native-image/io.autobahn.spring/sample-echo-app/reachability-metadata.json");
			assertThat(entry).as("reachability-metadata.json in the jar").isNotNull();
			metadata = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
		}
		List<String> types = JsonPath.read(metadata, "$.reflection[*].type");
		// Hook detection on every endpoint's class, the @Bean-declared one included
		assertThat(types).contains("io.autobahn.spring.sample.greeting.GreetingProtocol",
				"io.autobahn.spring.sample.echo.EchoServerProtocol", "io.autobahn.spring.sample.echo.MyServerProtocol",
				"io.autobahn.spring.websocket.WebSocketServerProtocol",
				"io.autobahn.spring.websocket.WebSocketProtocol");
		// The check that dedicated ports can be served (Class.forName at run time)
		assertThat(types).contains("reactor.netty.http.server.HttpServer");
		switch (System.getProperty("sample.stack")) {
			case "Tomcat" -> assertThat(JsonPath.<List<String>>read(metadata,
					"$.reflection[?(@.type == 'org.apache.tomcat.websocket.WsSession')].fields[*].name"))
				.contains("wsRemoteEndpoint");
			case "Jetty" ->
				assertThat(types).contains("io.autobahn.spring.websocket.servlet.JettyPartialMessageListener");
			default -> assertThat(types).contains("com.jcraft.jzlib.JZlib");
		}
	}

	private static String jar() {
		String jar = System.getProperty("sample.jar");
		assertThat(jar).as("the build's sample.jar property").isNotBlank();
		return jar;
	}

	private static List<String> endpointLines() {
		List<String> lines = new ArrayList<>();
		synchronized (output) {
			for (String line : output) {
				Matcher matcher = ENDPOINT_LINE.matcher(line);
				if (matcher.find()) {
					lines.add(matcher.group(1) + " ws://127.0.0.1:" + matcher.group(2) + matcher.group(3) + " ("
							+ matcher.group(4) + ")");
				}
			}
		}
		return lines;
	}

	private static int endpointPort(String name) {
		synchronized (output) {
			for (String line : output) {
				Matcher matcher = ENDPOINT_LINE.matcher(line);
				if (matcher.find() && matcher.group(1).equals(name)) {
					return Integer.parseInt(matcher.group(2));
				}
			}
		}
		throw new AssertionError("No startup line for endpoint '" + name + "':\n" + String.join("\n", output));
	}

}
