package io.autobahn.spring.websocket.behaviour;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that the behaviour tests of this module really run on the reactive stack: an
 * application with {@code autobahn-spring-boot-starter-webflux} is a reactive application
 * on Reactor Netty, and the starter brought no servlet container onto the classpath.
 */
@SpringBootTest(classes = EchoTests.EchoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ReactiveStackTests {

	@Autowired
	ApplicationContext context;

	@Test
	void applicationRunsOnReactorNetty() {
		assertThat(this.context).isInstanceOf(ReactiveWebServerApplicationContext.class);
		assertThat(((ReactiveWebServerApplicationContext) this.context).getWebServer().getClass().getSimpleName())
			.isEqualTo("NettyWebServer");
	}

	@Test
	void starterBringsNoServletContainer() {
		ClassLoader classLoader = getClass().getClassLoader();
		assertThat(ClassUtils.isPresent("jakarta.servlet.Servlet", classLoader)).isFalse();
		assertThat(ClassUtils.isPresent("org.apache.catalina.startup.Tomcat", classLoader)).isFalse();
		assertThat(ClassUtils.isPresent("org.eclipse.jetty.server.Server", classLoader)).isFalse();
	}

}
