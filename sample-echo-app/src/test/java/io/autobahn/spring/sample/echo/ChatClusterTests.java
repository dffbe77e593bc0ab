package io.autobahn.spring.sample.echo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.jayway.jsonpath.DocumentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.autobahn.spring.websocket.cluster.RedisClusterLink;
import io.autobahn.spring.websocket.test.NodePeers;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat room as two instances of the sample (profile {@code cluster}, as the README's
 * two commands start it) on random ports, sharing one real {@code redis-server} process
 * (the starter's {@link RedisServer} helper): a line said on instance 1 reaches a client
 * of the same room on instance 2, once and in order, and does not reach another room.
 * Then the same as a user sees it: headless Chromium (Debian's {@code chromium}, driven
 * by {@code playwright-core} through
 * {@code autobahn-spring-boot-test-support/src/main/node/sample_chat_client.mjs}, as
 * {@link ChatPageBrowserTests}) has a tab on {@code /chat.html} of each instance in one
 * room: a line typed in the page of instance 1 and sent with its button shows once in the
 * page of instance 2, a tab of another room on instance 2 does not show it, and no page
 * logs a script error or has a request fail. Tagged {@code interop} (third-party
 * processes: runs with {@code -Pinterop}, and then fails, rather than skips, without
 * {@code redis-server}, {@code node}, {@code playwright-core} or Chromium).
 */
@Tag("interop")
class ChatClusterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final List<AutoCloseable> started = new ArrayList<>();

	@AfterEach
	void stopInstancesThenRedis() throws Exception {
		for (int i = this.started.size() - 1; i >= 0; i--) {
			this.started.get(i).close();
		}
	}

	@TempDir
	Path tempDir;

	@Test
	void aLineSaidOnOneInstanceReachesTheRoomOnTheOtherOnce() throws Exception {
		List<ConfigurableApplicationContext> instances = startTwoInstances();
		ConfigurableApplicationContext one = instances.get(0);
		ConfigurableApplicationContext two = instances.get(1);

		Client alice = Client.connect(port(one), "/chat?room=kitchen&nick=alice");
		assertThat(alice.next()).isEqualTo("text:* alice joined kitchen (here: alice)");
		Client bob = Client.connect(port(two), "/chat?room=kitchen&nick=bob");
		// Who is here: this instance's connections; the join itself travels.
		assertThat(bob.next()).isEqualTo("text:* bob joined kitchen (here: bob)");
		assertThat(alice.next()).isEqualTo("text:* bob joined kitchen (here: bob)");
		Client carol = Client.connect(port(two), "/chat?room=hall&nick=carol");
		assertThat(carol.next()).isEqualTo("text:* carol joined hall (here: carol)");

		alice.sendText("hello from one");
		assertThat(alice.next()).isEqualTo("text:alice: hello from one");
		assertThat(bob.next()).isEqualTo("text:alice: hello from one");
		bob.sendText("hello from two");
		assertThat(bob.next()).isEqualTo("text:bob: hello from two");
		assertThat(alice.next()).isEqualTo("text:bob: hello from two");
		// Once: a second copy of a line would come before the next line of the same
		// instance.
		alice.sendText("bye");
		assertThat(bob.next()).isEqualTo("text:alice: bye");
		assertThat(alice.next()).isEqualTo("text:alice: bye");

		// The other room heard none of it: its next line is the next in the hall.
		Client dave = Client.connect(port(one), "/chat?room=hall&nick=dave");
		assertThat(dave.next()).isEqualTo("text:* dave joined hall (here: dave)");
		assertThat(carol.next()).isEqualTo("text:* dave joined hall (here: dave)");
		assertThat(one.getBean(RedisClusterLink.class).getDuplicates()).isZero();
		assertThat(two.getBean(RedisClusterLink.class).getDuplicates()).isZero();
	}

	@Test
	void aLineTypedInThePageOfOneInstanceShowsOnceInThePageOfTheOther() throws Exception {
		NodePeers.assertChromium();
		List<ConfigurableApplicationContext> instances = startTwoInstances();
		String one = "http://127.0.0.1:" + port(instances.get(0));
		String two = "http://127.0.0.1:" + port(instances.get(1));

		DocumentContext tabs = NodePeers.run(this.tempDir, Duration.ofSeconds(105), "sample_chat_client.mjs",
				"--cluster", one, two, "kitchen", "hall");

		assertThat(tabs.<String>read("$.error")).as("browser error").isNull();
		assertThat(tabs.<List<Integer>>read("$.status")).containsExactly(200, 200, 200, 200);
		assertThat(tabs.<String>read("$.url.alice")).startsWith(one + "/chat.html?");
		assertThat(tabs.<String>read("$.url.bob")).startsWith(two + "/chat.html?");
		assertThat(tabs.<String>read("$.url.carol")).startsWith(two + "/chat.html?");
		assertThat(tabs.<String>read("$.url.dave")).startsWith(one + "/chat.html?");
		// What each page's log shows, whole: nothing twice, nothing from another room
		assertThat(tabs.<List<String>>read("$.bob")).containsExactly("* bob joined kitchen (here: bob)",
				"alice: hello bob, from instance one", "alice: bye");
		assertThat(tabs.<List<String>>read("$.alice")).containsExactly("* alice joined kitchen (here: alice)",
				"* bob joined kitchen (here: bob)", "alice: hello bob, from instance one", "alice: bye");
		assertThat(tabs.<List<String>>read("$.carol")).containsExactly("* carol joined hall (here: carol)",
				"* dave joined hall (here: dave)");
		assertThat(tabs.<List<String>>read("$.problems")).isEmpty();
		assertThat(tabs.<Boolean>read("$.ok")).isTrue();
		for (ConfigurableApplicationContext instance : instances) {
			assertThat(instance.getBean(RedisClusterLink.class).getDuplicates()).isZero();
		}
	}

	/**
	 * One {@code redis-server} and two instances linked through it, each having heard of
	 * the other; all stopped after the test.
	 */
	private List<ConfigurableApplicationContext> startTwoInstances() throws Exception {
		RedisServer redis = RedisServer.start();
		this.started.add(redis);
		ConfigurableApplicationContext one = startInstance(redis.port(), "one");
		ConfigurableApplicationContext two = startInstance(redis.port(), "two");
		for (ConfigurableApplicationContext instance : List.of(one, two)) {
			RedisClusterLink link = instance.getBean(RedisClusterLink.class);
			Poll.until("the cluster link is up", link::isLinkUp, TIMEOUT);
			Poll.until("each instance heard of the other", () -> link.getInstanceConnections().size() == 2, TIMEOUT);
		}
		return List.of(one, two);
	}

	private ConfigurableApplicationContext startInstance(int redisPort, String instanceId) {
		// Arguments, as the README's commands pass them: they override
		// application-cluster.yml.
		ConfigurableApplicationContext instance = new SpringApplicationBuilder(EchoApplication.class)
			.profiles("cluster")
			.run("--server.port=0", "--autobahn.websocket.endpoints.greeting.port=0",
					"--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redisPort,
					"--autobahn.websocket.cluster.redis.instance-id=" + instanceId,
					"--autobahn.websocket.cluster.redis.heartbeat-interval=200ms");
		this.started.add(instance::close);
		return instance;
	}

	private static int port(ConfigurableApplicationContext instance) {
		return ((WebServerApplicationContext) instance).getWebServer().getPort();
	}

}
