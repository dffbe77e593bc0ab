package io.autobahn.spring.websocket.behaviour;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import io.autobahn.spring.websocket.WebSocketEndpoint;
import io.autobahn.spring.websocket.WebSocketServerProtocol;
import io.autobahn.spring.websocket.test.HookRecorder;
import io.autobahn.spring.websocket.test.JdkClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protocol instances are prototype beans, one per connection: each connection gets a new
 * instance whose fields hold that connection's state, constructor injection and
 * {@code @Value} work, and {@code @PreDestroy} runs exactly once per connection, after
 * its {@code onClose}. Subclassed per container.
 */
@SpringBootTest(classes = ProtocolInstanceTests.InstanceApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "test.greeting=hello from the environment")
class ProtocolInstanceTests extends AbstractBehaviourTests {

	@Test
	void everyConnectionGetsANewInstanceWithItsOwnState() throws Exception {
		int createdBefore = CountingProtocol.created.get();
		JdkClient first = JdkClient.connect(this.port, "/instance");
		JdkClient second = JdkClient.connect(this.port, "/instance");
		Object firstId = this.recorder.await("onOpen", TIMEOUT).detail(0);
		Object secondId = this.recorder.await("onOpen", TIMEOUT).detail(0);
		assertThat(firstId).isNotEqualTo(secondId);
		assertThat(CountingProtocol.created.get() - createdBefore).isEqualTo(2);
		first.sendText("count");
		first.sendText("count");
		second.sendText("count");
		assertThat(first.next().text()).isEqualTo("1");
		assertThat(first.next().text()).isEqualTo("2");
		assertThat(second.next().text()).isEqualTo("1");
		close(first);
		close(second);
	}

	@Test
	void constructorAndValueInjectionWork() throws Exception {
		JdkClient client = JdkClient.connect(this.port, "/instance");
		client.sendText("greeting");
		assertThat(client.next().text()).isEqualTo("hello from the environment");
		close(client);
	}

	@Test
	void preDestroyRunsOnceAfterOnClose() throws Exception {
		JdkClient client = JdkClient.connect(this.port, "/instance");
		Object id = this.recorder.await("onOpen", TIMEOUT).detail(0);
		client.sendClose(1000, "bye");
		this.recorder.await((event) -> event.hook().equals("onClose") && event.detail(0).equals(id), TIMEOUT);
		HookRecorder.Event destroyed = this.recorder
			.await((event) -> event.hook().equals("preDestroy") && event.detail(0).equals(id), TIMEOUT);
		assertThat(destroyed.details()).containsExactly(id, true, 1);
		// A later connection's whole life as a barrier: no second preDestroy of the
		// first.
		JdkClient later = JdkClient.connect(this.port, "/instance");
		Object laterId = this.recorder.await("onOpen", TIMEOUT).detail(0);
		later.sendClose(1000, "bye");
		this.recorder.await((event) -> event.hook().equals("preDestroy") && event.detail(0).equals(laterId), TIMEOUT);
		assertThat(this.recorder.drain())
			.noneMatch((event) -> event.hook().equals("preDestroy") && event.detail(0).equals(id));
	}

	private void close(JdkClient client) throws Exception {
		client.sendClose(1000, "bye");
		client.awaitClose();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HookRecorder.class, CountingProtocol.class })
	static class InstanceApplication {

	}

	@WebSocketEndpoint("/instance")
	static class CountingProtocol extends WebSocketServerProtocol {

		static final AtomicInteger created = new AtomicInteger();

		private final HookRecorder recorder;

		private final String greeting;

		private int messages;

		private boolean closed;

		private int destroyed;

		CountingProtocol(HookRecorder recorder, @Value("${test.greeting}") String greeting) {
			this.recorder = recorder;
			this.greeting = greeting;
			created.incrementAndGet();
		}

		@Override
		public void onOpen() {
			this.recorder.record("onOpen", id());
		}

		@Override
		public void onMessage(byte[] payload, boolean isBinary) {
			this.messages++;
			sendMessage("greeting".equals(new String(payload)) ? this.greeting : String.valueOf(this.messages));
		}

		@Override
		public void onClose(boolean wasClean, @Nullable Integer code, @Nullable String reason) {
			this.closed = true;
			this.recorder.record("onClose", id());
		}

		@PreDestroy
		void preDestroy() {
			this.destroyed++;
			this.recorder.record("preDestroy", id(), this.closed, this.destroyed);
		}

		private int id() {
			return System.identityHashCode(this);
		}

	}

}
