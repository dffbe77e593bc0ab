/**
 * Micrometer meters of the endpoints' handshakes, connections and messages
 * ({@code autobahn.websocket.*}), fed by the engine through its
 * {@link io.autobahn.spring.websocket.core.EndpointObserver}.
 */
@NullMarked
package io.autobahn.spring.websocket.metrics;

import org.jspecify.annotations.NullMarked;
