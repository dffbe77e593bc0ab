package io.autobahn.spring.websocket.readme;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The application the README's test examples find, as a user's tests find their
 * {@code @SpringBootApplication}: {@code @SpringBootTest} without classes looks for it in
 * the test's package. Not in the README: it stands for the user's application class.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ ChatRooms.class, ChatProtocol.class, GreetingConfiguration.class })
public class ReadmeApplication {

}
