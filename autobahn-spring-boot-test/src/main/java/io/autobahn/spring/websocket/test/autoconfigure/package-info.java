/**
 * Auto-configuration of the test kit for {@code @SpringBootTest}:
 * {@link io.autobahn.spring.websocket.test.autoconfigure.AutoConfigureWebSocketTestClient}.
 */
@NullMarked
package io.autobahn.spring.websocket.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
