/**
 * The test kit for applications that use the starter: {@link WebSocketTestClient}, a
 * blocking client that finds the endpoints of a running {@code @SpringBootTest}
 * application and opens {@link TestWebSocket} connections to them; {@link Message} and
 * {@link Close}, what it receives, with AssertJ assertions; {@link RawWebSocket}, the
 * raw-socket client under it, for frames no polite client sends; and
 * {@link ProtocolTester}, which drives one protocol instance through the starter's engine
 * without a server.
 */
@NullMarked
package io.autobahn.spring.websocket.test;

import org.jspecify.annotations.NullMarked;
