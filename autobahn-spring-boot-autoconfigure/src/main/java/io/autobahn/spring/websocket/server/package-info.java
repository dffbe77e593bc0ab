/**
 * Endpoints on ports of their own: one Reactor Netty server per dedicated port, started
 * and stopped with the application context, in servlet and reactive applications alike.
 */
@NullMarked
package io.autobahn.spring.websocket.server;

import org.jspecify.annotations.NullMarked;
