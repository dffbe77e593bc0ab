package io.autobahn.spring.websocket.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

import io.autobahn.spring.websocket.test.WebSocketTestClient;

/**
 * Annotation on a test class that adds a {@link WebSocketTestClient} bean to its
 * application, for {@code @Autowired} in a {@code @SpringBootTest}, as Spring Boot's
 * {@code @AutoConfigureWebTestClient} does for {@code WebTestClient}. The
 * auto-configurations it imports are listed in
 * {@code META-INF/spring/io.autobahn.spring.websocket.test.autoconfigure.AutoConfigureWebSocketTestClient.imports}.
 *
 * @see WebSocketTestClientAutoConfiguration
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureWebSocketTestClient {

}
