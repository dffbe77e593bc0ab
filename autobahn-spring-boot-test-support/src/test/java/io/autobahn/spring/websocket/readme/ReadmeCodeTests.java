package io.autobahn.spring.websocket.readme;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The README and its guides in docs/ show the example classes of this package as they are
 * compiled and run ({@code ReadmeExamplesTests}; the test examples,
 * {@code ChatEndpointTests} through a subclass in each stack module and
 * {@code GreetingProtocolTests} here): each class's source, without its package and
 * import lines, is in one of the {@code java} code blocks, whitespace aside (the README
 * indents with spaces).
 */
class ReadmeCodeTests {

	private static final String SOURCES = "autobahn-spring-boot-test-support/src/main/java/io/autobahn/spring/websocket/readme";

	private static final String TEST_SOURCES = "autobahn-spring-boot-test-support/src/test/java/io/autobahn/spring/websocket/readme";

	private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

	@ParameterizedTest
	@ValueSource(strings = { "ChatProtocol", "ChatRooms", "GreetingProtocol", "GreetingConfiguration", "Announcements",
			"ChatEndpointTests", "GreetingProtocolTests" })
	void readmeShowsTheExampleAsCompiled(String className) throws IOException {
		Path root = projectRoot();
		Path file = root.resolve(SOURCES).resolve(className + ".java");
		if (!Files.isRegularFile(file)) {
			file = root.resolve(TEST_SOURCES).resolve(className + ".java");
		}
		String source = Files.readString(file, StandardCharsets.UTF_8);
		String code = normalize(source.lines()
			.filter((line) -> !line.startsWith("package ") && !line.startsWith("import "))
			.reduce("", (all, line) -> all + line + "\n"));
		List<String> blocks = new ArrayList<>(
				javaBlocks(Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8)));
		try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
			for (Path doc : docs.filter((path) -> path.toString().endsWith(".md")).sorted().toList()) {
				blocks.addAll(javaBlocks(Files.readString(doc, StandardCharsets.UTF_8)));
			}
		}
		assertThat(blocks).as("the java blocks of README.md and docs/*.md that contain %s", className)
			.anySatisfy((block) -> assertThat(normalize(block)).contains(code));
	}

	private static List<String> javaBlocks(String markdown) {
		List<String> blocks = new ArrayList<>();
		Matcher matcher = JAVA_BLOCK.matcher(markdown);
		while (matcher.find()) {
			blocks.add(matcher.group(1));
		}
		return blocks;
	}

	private static String normalize(String code) {
		return code.replaceAll("\\s+", " ").strip();
	}

	/**
	 * The directory with README.md, found from the working directory upwards (each
	 * module's own directory).
	 */
	private static Path projectRoot() {
		Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
		for (Path dir = start; dir != null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve(SOURCES))) {
				return dir;
			}
		}
		return fail("No README.md with " + SOURCES + " beside it in " + start + " or any parent directory");
	}

}
