/**
 * Not API: the starter's own bridges between its packages, which applications must not
 * call. Nothing here imports the rest of the starter.
 */
@NullMarked
package io.autobahn.spring.websocket.internal;

import org.jspecify.annotations.NullMarked;
