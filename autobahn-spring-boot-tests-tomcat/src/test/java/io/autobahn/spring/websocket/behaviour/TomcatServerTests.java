package io.autobahn.spring.websocket.behaviour;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that this module's tests run on Tomcat, as a servlet application with the
 * starter does: the embedded server is Tomcat's, Jetty is not on the classpath and Spring
 * upgrades through the Jakarta WebSocket API, so the Tomcat subclasses cannot silently
 * test another stack. Reactor Netty is on the classpath (dedicated ports), yet the
 * application is a servlet one.
 */
@SpringBootTest(classes = TomcatServerTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class TomcatServerTests {

	@Autowired
	ServletWebServerApplicationContext context;

	@Test
	void embeddedServerIsTomcat() {
		assertThat(this.context.getWebServer().getClass().getName()).contains("Tomcat");
		assertThat(ClassUtils.isPresent("org.eclipse.jetty.server.Server", getClass().getClassLoader())).isFalse();
		assertThat(ClassUtils.isPresent("org.eclipse.jetty.websocket.api.Session", getClass().getClassLoader()))
			.isFalse();
	}

	@Test
	void springUpgradesThroughTheJakartaWebSocketApi() {
		// The strategy ProtocolHandshakeHandler delegates to: its sessions are Jakarta
		// ones, so
		// the endpoints run on the Jakarta transport, not on JettySessionTransport.
		assertThat(new DefaultHandshakeHandler().getRequestUpgradeStrategy())
			.isInstanceOf(StandardWebSocketUpgradeStrategy.class);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
