package io.autobahn.spring.sample.echo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.autobahn.spring.websocket.cluster.RedisClusterLink;
import io.autobahn.spring.websocket.test.Poll;
import io.autobahn.spring.websocket.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat room as two instances of the sample (profile {@code cluster}, as the README's
 * two commands start it) on random ports, sharing one real {@code redis-server} process
 * (the starter's {@link RedisServer} helper): a line said on instance 1 reaches a client
 * of the same room on instance 2, once and in order, and does not reach another room.
 * Tagged {@code interop} (a third-party process: runs with {@code -Pinterop}, and then
 * fails, rather than skips, without {@code redis-server}).
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

	@Test
	void aLineSaidOnOneInstanceReachesTheRoomOnTheOtherOnce() throws Exception {
		RedisServer redis = RedisServer.start();
		this.started.add(redis);
		ConfigurableApplicationContext one = startInstance(redis.port(), "one");
		ConfigurableApplicationContext two = startInstance(redis.port(), "two");
		for (ConfigurableApplicationContext instance : List.of(one, two)) {
			RedisClusterLink link = instance.getBean(RedisClusterLink.class);
			Poll.until("the cluster link is up", link::isLinkUp, TIMEOUT);
			Poll.until("each instance heard of the other", () -> link.getInstanceConnections().size() == 2, TIMEOUT);
		}

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
