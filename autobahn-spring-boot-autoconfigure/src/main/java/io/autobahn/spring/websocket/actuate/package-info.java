/**
 * The Actuator endpoint {@code websocket}: the endpoints, their settings and open
 * connections, and closing connections.
 */
@NullMarked
package io.autobahn.spring.websocket.actuate;

import org.jspecify.annotations.NullMarked;
