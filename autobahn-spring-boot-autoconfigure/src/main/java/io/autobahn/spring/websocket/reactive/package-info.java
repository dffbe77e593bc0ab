/**
 * The reactive stack adapter (Spring WebFlux on Reactor Netty).
 */
@NullMarked
package io.autobahn.spring.websocket.reactive;

import org.jspecify.annotations.NullMarked;
