/**
 * The client side: the {@link io.autobahn.spring.websocket.WebSocketConnector} that runs
 * a connect (the protocol instance, {@code onConnecting}, the open handshake timeout, the
 * connection on the engine's client front), reconnecting, and the client transports' one
 * interface ({@code ClientTransport}) with the JDK's implementation. Reactor Netty's is
 * in the reactive package, beside the server transport whose code it shares.
 */
@NullMarked
package io.autobahn.spring.websocket.client;

import org.jspecify.annotations.NullMarked;
