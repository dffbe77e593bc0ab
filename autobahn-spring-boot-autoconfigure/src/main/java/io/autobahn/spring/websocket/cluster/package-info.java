/**
 * Several instances of the application as one: broadcasts that may travel (filtered by a
 * {@code ConnectionSelector}, or not at all) go through Redis pub/sub to the connections
 * of every instance. Built on Spring Data Redis; at most once, as Redis pub/sub.
 */
@NullMarked
package io.autobahn.spring.websocket.cluster;

import org.jspecify.annotations.NullMarked;
