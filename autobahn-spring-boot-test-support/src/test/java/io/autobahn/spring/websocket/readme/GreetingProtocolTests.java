package io.autobahn.spring.websocket.readme;

import org.junit.jupiter.api.Test;

import io.autobahn.spring.websocket.test.Message;
import io.autobahn.spring.websocket.test.ProtocolTester;

import static org.assertj.core.api.Assertions.assertThat;

class GreetingProtocolTests {

	@Test
	void greetsThenEchoes() {
		try (ProtocolTester<GreetingProtocol> tester = ProtocolTester.of(new GreetingProtocol("welcome"))) {
			tester.open().receive("hi");
			assertThat(tester.sent()).containsExactly(Message.text("welcome"), Message.text("hi"));
			tester.receiveClose(1000, "bye");
			assertThat(tester.isDestroyed()).isTrue();
		}
	}

}
