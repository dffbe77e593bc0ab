/**
 * The stack-independent engine and the endpoint model: the connection (its close state
 * machine, delivery, hook invoker, send path, message assembly, auto-ping), the open
 * connections, the budgets, and what the stack adapters use ({@code ServerEndpoint},
 * {@code StackConnection}, {@code Transport}). No web type, no adapter, no handshake
 * code.
 */
@NullMarked
package io.autobahn.spring.websocket.core;

import org.jspecify.annotations.NullMarked;
