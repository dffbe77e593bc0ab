/**
 * The public API: Autobahn-style protocol classes, their hooks and channel methods, and
 * the handshake types.
 */
@NullMarked
package io.autobahn.spring.websocket;

import org.jspecify.annotations.NullMarked;
