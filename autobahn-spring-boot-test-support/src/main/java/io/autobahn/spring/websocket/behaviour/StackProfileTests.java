package io.autobahn.spring.websocket.behaviour;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import io.autobahn.spring.websocket.test.StackProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test module's {@link StackProfile} describes the web server its tests really run
 * on, so that what the shared tests assert per stack is asserted of the right stack (they
 * ask the profile, never the web server). Stack-neutral: subclassed per container.
 */
@SpringBootTest(classes = StackProfileTests.StackProfileApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class StackProfileTests {

	@Autowired
	WebServerApplicationContext context;

	@Test
	void profileNamesTheWebServerTheTestsRunOn() {
		assertThat(this.context.getWebServer().getClass().getSimpleName()).startsWith(StackProfile.current().name());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class StackProfileApplication {

	}

}
