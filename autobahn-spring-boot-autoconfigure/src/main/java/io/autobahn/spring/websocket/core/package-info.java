/**
 * The stack-independent connection engine: message assembly, the serialized send path, close handling, auto-ping and the registry of open connections.
 */
@NullMarked
package io.autobahn.spring.websocket.core;

import org.jspecify.annotations.NullMarked;
