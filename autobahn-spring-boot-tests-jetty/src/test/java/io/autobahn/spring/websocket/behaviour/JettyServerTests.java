package io.autobahn.spring.websocket.behaviour;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that this module's tests run on Jetty: the embedded server is Jetty's, Tomcat is
 * not on the classpath and Spring upgrades with Jetty's native API, so the Jetty
 * subclasses cannot silently test Tomcat again.
 */
@SpringBootTest(classes = JettyServerTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class JettyServerTests {

	@Autowired
	ServletWebServerApplicationContext context;

	@Test
	void embeddedServerIsJetty() {
		assertThat(this.context.getWebServer().getClass().getName()).contains("Jetty");
		assertThat(ClassUtils.isPresent("org.apache.catalina.startup.Tomcat", getClass().getClassLoader())).isFalse();
	}

	@Test
	void springUpgradesThroughJettysNativeApi() {
		// The strategy ProtocolHandshakeHandler delegates to: its sessions are Jetty's
		// own, so
		// the endpoints run on JettySessionTransport, not on the Jakarta (Tomcat)
		// transport.
		assertThat(new DefaultHandshakeHandler().getRequestUpgradeStrategy())
			.isInstanceOf(JettyRequestUpgradeStrategy.class);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
